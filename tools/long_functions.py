"""List the functions of the application code longer than a limit (40 lines by default).

Usage: python tools/long_functions.py [--limit 40]
Migrations, tests and the demo app are not application code. Exits 1 when any is found.
"""

import argparse
import ast
import sys
from pathlib import Path

APPS = ["ess_metro", "programme", "projects", "governance", "communication"]
SKIPPED = {"migrations", "tests", "demo"}


def long_functions(root: Path, limit: int):
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if SKIPPED & set(path.relative_to(root).parts):
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = node.end_lineno - node.lineno + 1
                    if length > limit:
                        yield path.relative_to(root), node.lineno, node.name, length


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=40)
    args = parser.parse_args()
    found = sorted(long_functions(Path(__file__).resolve().parent.parent, args.limit))
    for path, line, name, length in found:
        print(f"{path}:{line} {name} ({length} lines)")
    print(f"{len(found)} functions over {args.limit} lines")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
