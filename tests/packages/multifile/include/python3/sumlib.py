"""Given to every Python submission (include/python3)."""


def sum_of(a: int, b: int) -> int:
    return a + b
