"""The exceptions of the client."""


class ApiError(Exception):
    """A request the server refused (or could not be reached for: status 0).

    Attributes: ``status`` (the HTTP status, 0 when the server could not be reached), ``field`` (the offending
    input the problem names, e.g. ``space.parameters[0].low``, or None), ``detail`` (the server's explanation),
    ``title``, ``problem`` (the whole application/problem+json body as a dict), ``method`` and ``url``.
    """

    def __init__(self, status, field, detail, title=None, problem=None, method=None, url=None, retry_after=None):
        self.status = status
        self.field = field
        self.detail = detail
        self.title = title
        self.problem = problem or {}
        self.method = method
        self.url = url
        self.retry_after = retry_after
        super().__init__(str(self))

    def __str__(self):
        where = " at %s" % self.field if self.field else ""
        status = "%d" % self.status if self.status else "no answer"
        return "%s%s: %s" % (status, where, self.detail)

    def __reduce__(self):
        return (ApiError, (self.status, self.field, self.detail, self.title, self.problem, self.method, self.url,
                           self.retry_after))


class Pruned(Exception):
    """Raised by an objective to end its trial PRUNED (the trial's own decision, or after ``trial.report`` said
    stop)."""
