"""The command line: ``python3 -m sextant`` (``sextant`` once installed). ``--help`` on every command."""
import argparse
import json
import sys

from ._errors import ApiError
from ._http import decode_number
from .client import Client

EPILOG = """environment: SEXTANT_URL (default http://localhost:8080), SEXTANT_TOKEN (an API token).
STUDY is a study's id or its exact name. Output is a table; --json prints JSON for scripts."""


def table(headers, rows):
    """A plain text table (columns padded to their widest cell)."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _fmt(v):
    v = decode_number(v)
    if isinstance(v, float):
        return "%.6g" % v
    return str(v)


def _kv(d):
    return " ".join("%s=%s" % (k, _fmt(v)) for k, v in (d or {}).items())


def _parser():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", default=argparse.SUPPRESS, help="server URL (default: $SEXTANT_URL)")
    common.add_argument("--token", default=argparse.SUPPRESS, help="API token (default: $SEXTANT_TOKEN)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON, for scripts")

    p = argparse.ArgumentParser(prog="sextant", parents=[common], epilog=EPILOG,
                                description="Sextant's command line: studies, and the agent that runs trials.")
    sub = p.add_subparsers(dest="command", metavar="{study,agent}")
    sub.required = True

    study = sub.add_parser("study", parents=[common], help="create, list, show and manage studies", epilog=EPILOG)
    ss = study.add_subparsers(dest="action", metavar="ACTION")
    ss.required = True
    c = ss.add_parser("create", parents=[common], help="create a study from a YAML or JSON file")
    c.add_argument("-f", "--file", required=True, help="the study definition (.yaml, .yml or .json)")
    c.add_argument("--paused", action="store_true", help="create it PAUSED (queue your own trials first)")
    ls = ss.add_parser("list", parents=[common], help="list studies")
    ls.add_argument("-q", "--query", help="only studies whose name contains this text")
    for name, text in (("show", "a study's definition and progress"), ("best", "the best trial"),
                       ("pareto", "the Pareto front"), ("pause", "pause a study"), ("resume", "resume a study")):
        x = ss.add_parser(name, parents=[common], help=text)
        x.add_argument("study", metavar="STUDY")
    tr = ss.add_parser("trials", parents=[common], help="a study's trials")
    tr.add_argument("study", metavar="STUDY")
    tr.add_argument("--state", help="only trials in this state (COMPLETED, PRUNED, FAILED, RUNNING, ...)")
    ex = ss.add_parser("export", parents=[common], help="export a study as CSV or JSON")
    ex.add_argument("study", metavar="STUDY")
    ex.add_argument("--format", choices=("csv", "json"), default="json")
    ex.add_argument("-o", "--output", help="write to this file instead of stdout")

    a = sub.add_parser("agent", parents=[common], epilog=EPILOG,
                       help="run a command for each trial of a study (after --)",
                       usage="sextant agent STUDY [--count N] [--timeout SECONDS] [--json] -- COMMAND [ARGS...]",
                       description="Asks trials of STUDY and runs COMMAND for each, with the command evaluator's "
                                   "conventions (docs/evaluators.md): parameters in $SEXTANT_PARAMS_FILE and "
                                   "SEXTANT_PARAM_<NAME>; stdout lines {\"step\": n, \"values\": {...}} are reported "
                                   "as measurements (the command is killed when told to stop) and the last "
                                   "{\"values\": {...}} line completes the trial. Repeats until the study has no more "
                                   "trials.")
    a.add_argument("study", metavar="STUDY")
    a.add_argument("--count", type=int, help="stop after N trials")
    a.add_argument("--timeout", type=float, help="kill and fail a trial's command after SECONDS")
    a.add_argument("--keep-work-dirs", action="store_true", help="keep each trial's scratch directory")
    a.add_argument("--worker-id", help="the worker id the agent asks with (default: host-pid-n)")
    return p


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    cmd = []
    if "--" in argv:  # the agent's command: everything after the first --
        i = argv.index("--")
        argv, cmd = argv[:i], argv[i + 1:]
    parser = _parser()
    args = parser.parse_args(argv)
    args.cmd = cmd
    if cmd and args.command != "agent":
        parser.error("only agent takes a command after --")
    as_json = getattr(args, "json", False)
    try:
        client = Client(getattr(args, "url", None), getattr(args, "token", None))
    except ValueError as e:
        print("sextant: %s" % e, file=sys.stderr)
        return 2
    try:
        if args.command == "agent":
            return _agent(parser, client, args, as_json)
        return _study(client, args, as_json)
    except ApiError as e:
        print("sextant: %s" % e, file=sys.stderr)
        return 1
    except OSError as e:
        print("sextant: %s" % e, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _agent(parser, client, args, as_json):
    cmd = args.cmd
    if not cmd:
        parser.error("agent: give the command after --, e.g. sextant agent 3 -- python3 train.py")
    if args.count is not None and args.count < 1:
        parser.error("agent: --count must be >= 1")
    if args.timeout is not None and args.timeout <= 0:
        parser.error("agent: --timeout must be > 0")
    from .agent import run_agent
    study = client.study(args.study)
    return run_agent(study, cmd, count=args.count, timeout=args.timeout, keep_work_dirs=args.keep_work_dirs,
                     json_lines=as_json, worker_id=args.worker_id)


def _study(client, args, as_json):
    out = sys.stdout
    action = args.action
    if action == "create":
        s = client.create_study(args.file, paused=args.paused)
        if as_json:
            _json(s.data)
        else:
            out.write("created study %d %s (%s)\n" % (s.id, s.name, s.state))
        return 0
    if action == "list":
        studies = client.studies(q=args.query)
        if as_json:
            _json([s.data for s in studies])
        else:
            out.write(table(["id", "name", "state", "algorithm", "trials", "best"], [
                [s.id, s.name, s.state, (s.data.get("algorithm") or {}).get("name"), _progress(s),
                 _best(s.data.get("bestValue"))] for s in studies]))
        return 0
    study = client.study(args.study)
    if action == "show":
        if as_json:
            _json(study.data)
        else:
            _show(study)
    elif action == "best":
        t = study.best_trial()
        if as_json:
            _json(t.data if t else None)
        elif t is None:
            out.write("study %d has no completed trial yet\n" % study.id)
        else:
            out.write(table(["trial", "values", "params"], [[t.number, _kv(t.data.get("values")), _kv(t.params)]]))
    elif action == "pareto":
        p = study.pareto()
        if as_json:
            _json(p)
        else:
            out.write(table(["trial", "values", "params"],
                            [[t["number"], _kv(t.get("values")), _kv(t.get("params"))] for t in p["trials"]]))
            if p.get("hypervolume") is not None:
                out.write("hypervolume %s (reference point %s)\n" % (_fmt(p["hypervolume"]), p.get("referencePoint")))
    elif action == "trials":
        trials = study.trials(state=args.state.upper() if args.state else None, measurements=False)
        if as_json:
            _json([t.data for t in trials])
        else:
            out.write(table(["trial", "state", "values / reason", "params"],
                            [[t.number, t.state, _outcome(t.data), _kv(t.params)] for t in trials]))
    elif action == "export":
        text = study.export(args.format)
        if args.output:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            out.write(text)
            if not text.endswith("\n"):
                out.write("\n")
    elif action in ("pause", "resume"):
        s = study.pause() if action == "pause" else study.resume()
        if as_json:
            _json(s.data)
        else:
            out.write("study %d %s is %s\n" % (s.id, s.name, s.state))
    return 0


def _json(obj):
    sys.stdout.write(json.dumps(obj, indent=2) + "\n")


def _outcome(d):
    if d.get("values"):
        return _kv(d["values"])
    reason = d.get("failureReason") or d.get("infeasibleReason") or ""
    return reason.strip().splitlines()[0][:60] if reason.strip() else ""


def _progress(s):
    limit = (s.data.get("limits") or {}).get("maxTrials")
    issued = s.data.get("trialsIssued", 0)
    return "%d/%d" % (issued, limit) if limit else str(issued)


def _best(v):
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        return json.dumps(v)
    return _fmt(v)


def _show(s):
    d = s.data
    out = sys.stdout
    rows = [
        ("id", d["id"]), ("name", d["name"]), ("state", d["state"]),
        ("objectives", ", ".join("%s (%s)" % (o["metric"], o.get("direction", "MINIMIZE").lower())
                                 for o in d.get("objectives") or [])),
        ("algorithm", json.dumps(d.get("algorithm"))),
        ("evaluator", json.dumps(d.get("evaluator")) if d.get("evaluator") else "none (ask/tell)"),
        ("limits", json.dumps(d.get("limits"))),
    ]
    if d.get("earlyStopping"):
        rows.append(("earlyStopping", json.dumps(d["earlyStopping"])))
    rows.append(("trials", "%s issued; %s" % (d.get("trialsIssued"), ", ".join(
        "%d %s" % (n, k.lower()) for k, n in (d.get("trialCounts") or {}).items() if n))))
    rows.append(("best", _best(d.get("bestValue"))))
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        out.write("%s  %s\n" % (k.ljust(width), v))
    out.write("parameters:\n")
    out.write(table(["name", "type", "range / choices"], [
        [p["name"], p["type"] + (" log" if p.get("log") else ""),
         json.dumps(p["choices"]) if "choices" in p else
         ("%s .. %s" % (_fmt(p.get("low")), _fmt(p.get("high"))) if "low" in p else json.dumps(p.get("value")))]
        for p in (d.get("space") or {}).get("parameters") or []]))


if __name__ == "__main__":
    sys.exit(main())
