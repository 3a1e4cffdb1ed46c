"""Accept the contestant's output when it is exactly one integer equal to the judge's answer."""

import sys


def verdict(expected: int, tokens: list[str]) -> str:
    if len(tokens) != 1:
        return f"expected one integer, got {len(tokens)} tokens"
    try:
        value = int(tokens[0])
    except ValueError:
        return f"not an integer: {tokens[0][:40]}"
    return "" if value == expected else f"wrong sum: {value}"


def main() -> int:
    _input_path, answer_path, feedback_dir = sys.argv[1:4]
    with open(answer_path) as answer:
        expected = int(answer.read().split()[0])
    message = verdict(expected, sys.stdin.read().split())
    with open(feedback_dir + "judgemessage.txt", "w") as feedback:
        feedback.write(message or "correct")
    return 43 if message else 42


sys.exit(main())
