"""Pure parts of the agent: Java's double printing (the command evaluator's SEXTANT_PARAM_* convention) and the
metrics-line rules."""
import unittest

from sextant.agent import MetricsLineError, java_double, param_variable, parse_line


class JavaDoubleTest(unittest.TestCase):
    def test_like_double_to_string(self):
        # what java.lang.Double.toString prints for these (JDK 19+: shortest digits)
        cases = [(0.001, "0.001"), (1e-5, "1.0E-5"), (2.0, "2.0"), (1e7, "1.0E7"), (123456.789, "123456.789"),
                 (0.1, "0.1"), (-3.5e-4, "-3.5E-4"), (9999999.0, "9999999.0"), (12345678.9, "1.23456789E7"),
                 (0.0, "0.0"), (-0.0, "-0.0"), (100.0, "100.0"), (1.5e300, "1.5E300"), (0.000999, "9.99E-4"),
                 (float("inf"), "Infinity"), (1 / 3, "0.3333333333333333"), (2e-3 / 3, "6.666666666666666E-4")]
        for x, text in cases:
            self.assertEqual(text, java_double(x), x)
            self.assertEqual(x, float(text))

    def test_variable_names(self):
        self.assertEqual("SEXTANT_PARAM_LEARNING_RATE", param_variable("learning-rate"))
        self.assertEqual("SEXTANT_PARAM_X_2", param_variable("x.2"))


class MetricsLineTest(unittest.TestCase):
    def test_lines(self):
        self.assertEqual(("measure", 3, {"loss": 0.5}), parse_line('{"step": 3, "values": {"loss": 0.5}}'))
        self.assertEqual(("final", {"loss": float("inf")}), parse_line('{"values": {"loss": Infinity}}'))
        self.assertEqual(("final", {"loss": "NaN"}), parse_line('{"values": {"loss": "NaN"}}'))
        for other in ("epoch 3", '{"loss": 1}', "[1, 2]", "{not json"):
            self.assertIsNone(parse_line(other))
        for bad in ('{"step": 1.5, "values": {"a": 1}}', '{"step": -1, "values": {"a": 1}}',
                    '{"values": {"a": "x"}}', '{"values": {"a": 1}, "extra": 2}', '{"values": [1]}',
                    '{"values": {"a": true}}'):
            with self.assertRaises(MetricsLineError, msg=bad):
                parse_line(bad)
