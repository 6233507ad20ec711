"""The ITA scoring engine: pure Python + NumPy, no Django. It reads a validated framework (a plain
dict, see docs/framework-format.md) and scores one agency or thousands at once."""
