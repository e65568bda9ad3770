"""Mutation testing of the pure rules: how many small changes of a rule its own tests catch.

Usage: python tools/mutation.py [RULE ...] [--show] [--jobs N] [--fail-under PERCENT]
       (or `make mutation`, `make mutation RULE=identifiers`)

For each rule of RULES below, mutmut (from the dev lock) changes one operator, constant or
call at a time in the rule's functions (``>`` into ``>=``, ``3`` into ``4``, ``and`` into
``or``, an argument into None...) and runs only that rule's test files against each change.
A change that makes a test fail is "killed"; one that every test lets through "survived".
mutmut only changes code inside functions, so the thresholds a rule module keeps as module
constants (``DE_MINIMIS_YEARS = 3``, ``Decimal("5000")``) get a second pass here: each number
one unit up, then one unit down, with the rule's tests run once per change.

Nothing is ever mutated in place: each rule runs in a fresh copy of the project under
``.mutation/<rule>/`` (git-ignored), and mutmut works in a further copy inside it
(``mutants/``). Interrupting the run leaves the sources untouched. The copy stays after the
run, so a surviving mutant can be read again (see docs/mutation.md):

    cd .mutation/<rule> && ../../.venv/bin/python -m mutmut show <mutant name>

A rule whose module, test files or functions do not exist yet is reported "not there yet".
Exits 1 when mutmut itself fails on a rule, or when a score is under --fail-under.
"""

import argparse
import ast
import fcntl
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"

# Top-level entries of the project that a test run does not need.
NOT_COPIED = {"docs", "requirements", "tools", "staticfiles", "media", "private-media", "mutants"}
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "db.sqlite3*", ".*")

# mutmut's exit codes for a mutant (mutmut.stats.status_by_exit_code).
KILLED = {1: "killed", 3: "killed", 36: "timeout", 37: "killed", -24: "timeout", 24: "timeout"}
NOT_KILLED = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped"}


@dataclass(frozen=True)
class Rule:
    name: str
    title: str
    module: str
    tests: tuple[str, ...]
    # fnmatch patterns of the function names the rule covers (all when empty), and those it
    # leaves to another rule of the same module. A method is named "Class.method".
    functions: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


RULES = (
    Rule(
        "identifiers",
        "identifier validators (SIRET, SIREN, RNA, APE)",
        "ess_metro/directory/rules.py",
        ("tests/test_identifier_rules.py", "tests/test_validators.py"),
    ),
    Rule(
        "governance",
        "quorum and opinions",
        "governance/rules.py",
        ("tests/governance/test_rules.py",),
    ),
    Rule(
        "de-minimis",
        "de minimis",
        "projects/conventions/rules.py",
        ("tests/projects_conventions/test_rules.py",),
        functions=("de_minimis_*",),
    ),
    Rule(
        "payments",
        "payment schedule and tranche checks",
        "projects/conventions/rules.py",
        ("tests/projects_conventions/test_rules.py",),
        exclude=("de_minimis_*",),
    ),
    Rule(
        "programme",
        "programme totals",
        "programme/rules.py",
        ("tests/programme/test_rules.py",),
    ),
    Rule(
        "submission",
        "submission checks",
        "projects/calls/rules.py",
        ("tests/projects_calls/test_rules.py",),
    ),
)


@dataclass
class Outcome:
    rule: Rule
    state: str = "measured"  # or "not there yet", "failed"
    note: str = ""
    statuses: dict[str, str] = field(default_factory=dict)  # mutant name -> status
    diffs: dict[str, str] = field(default_factory=dict)  # constants' mutants: what changed
    seconds: float = 0.0

    @property
    def killed(self) -> int:
        return sum(1 for status in self.statuses.values() if status in KILLED.values())

    @property
    def total(self) -> int:
        return len(self.statuses)

    @property
    def survivors(self) -> list[str]:
        return sorted(n for n, s in self.statuses.items() if s not in KILLED.values())


def functions_of(path: Path) -> list[str]:
    """The top-level functions of a module, and its classes' methods as "Class.method"."""
    names = []
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.append(node.name)
        elif isinstance(node, ast.ClassDef):
            names += [
                f"{node.name}.{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
    return names


def covers(rule: Rule, name: str) -> bool:
    short = name.rpartition(".")[2]

    def matches(patterns):
        return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(short, p) for p in patterns)

    return (not rule.functions or matches(rule.functions)) and not matches(rule.exclude)


def mangled(rule: Rule, name: str) -> str:
    """mutmut's name of a function's mutants: module.x_function or module.xǁClassǁmethod."""
    module = rule.module.removesuffix(".py").replace("/", ".")
    if "." in name:
        cls, _, method = name.partition(".")
        return f"{module}.xǁ{cls}ǁ{method}"
    return f"{module}.x_{name}"


def missing(rule: Rule) -> str:
    """What a rule still lacks before it can be measured ("" when nothing)."""
    absent = [p for p in (rule.module, *rule.tests) if not (ROOT / p).is_file()]
    if absent:
        return "missing " + ", ".join(absent)
    if not any(covers(rule, n) for n in functions_of(ROOT / rule.module)):
        return "no function " + " ".join(rule.functions) + " in " + rule.module
    return ""


def prepare(rule: Rule, workdir: Path) -> list[str]:
    """A fresh copy of the project with mutmut's settings for this rule; the copied entries."""
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    copied = []
    for entry in sorted(ROOT.iterdir()):
        name = entry.name
        if name.startswith(".") or name in NOT_COPIED or name == "pyproject.toml":
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, workdir / name, ignore=IGNORED)
        elif entry.is_file() and not fnmatch.fnmatch(name, "db.sqlite3*"):
            shutil.copy2(entry, workdir / name)
        else:
            continue
        copied.append(name)
    settings = {
        "source_paths": [rule.module],
        "also_copy": copied,
        "pytest_add_cli_args_test_selection": list(rule.tests),
        "pytest_add_cli_args": ["-p", "no:randomly"],
        "use_git_change_detection": False,
    }
    project = (ROOT / "pyproject.toml").read_text()
    if "[tool.mutmut]" in project:
        sys.exit("pyproject.toml has a [tool.mutmut] table: tools/mutation.py writes one per rule.")
    lines = ["", "[tool.mutmut]"] + [f"{k} = {toml(v)}" for k, v in settings.items()]
    text = project + "\n".join(lines) + "\n"
    (workdir / "pyproject.toml").write_text(text)
    return copied


def toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_statuses(rule: Rule, workdir: Path, selected: list[str]) -> dict[str, str]:
    meta = json.loads((workdir / "mutants" / f"{rule.module}.meta").read_text())
    prefixes = tuple(mangled(rule, name) + "__mutmut_" for name in selected)
    return {
        key: KILLED.get(code) or NOT_KILLED.get(code) or "suspicious"
        for key, code in meta["exit_code_by_key"].items()
        if key.startswith(prefixes)
    }


def number_variants(node: ast.AST) -> list[str]:
    """The literals one unit above and below a number, or a string holding one ("5000.00")."""
    if not isinstance(node, ast.Constant) or isinstance(node.value, bool):
        return []
    if isinstance(node.value, int | float):
        return [repr(node.value + 1), repr(node.value - 1)]
    if not isinstance(node.value, str) or not node.value.strip("-").replace(".", "").isdigit():
        return []
    try:
        number = Decimal(node.value)
    except InvalidOperation:
        return []
    unit = Decimal(1).scaleb(number.as_tuple().exponent)
    width = len(node.value) if node.value.isdigit() else 0
    return [f'"{str(v).zfill(width)}"' for v in (number + unit, number - unit) if v >= 0]


def constants_used(rule: Rule, tree: ast.Module) -> set[str] | None:
    """Names the rule's functions read (None: every constant, for a whole-module rule)."""
    if not rule.functions and not rule.exclude:
        return None
    names = set()
    for node in tree.body:
        methods = node.body if isinstance(node, ast.ClassDef) else [node]
        for item in methods:
            prefix = f"{node.name}." if isinstance(node, ast.ClassDef) else ""
            if isinstance(item, ast.FunctionDef) and covers(rule, prefix + item.name):
                names |= {n.id for n in ast.walk(item) if isinstance(n, ast.Name)}
    return names


def constant_mutants(rule: Rule, source: str) -> list[tuple[str, str, str]]:
    """(name, diff, mutated source) for each number of the module's constants, +1 and -1."""
    tree = ast.parse(source)
    used = constants_used(rule, tree)
    data = source.encode()
    starts = [0] + [i + 1 for i, byte in enumerate(data) if byte == ord("\n")]
    module = rule.module.removesuffix(".py").replace("/", ".")
    mutants = []
    for stmt in tree.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
        names = {t.id for t in targets if isinstance(t, ast.Name)}
        if (
            not names
            or getattr(stmt, "value", None) is None
            or (used is not None and not names & used)
        ):
            continue
        for node in ast.walk(stmt.value):
            start = starts[node.lineno - 1] + node.col_offset if hasattr(node, "lineno") else 0
            end = starts[node.end_lineno - 1] + node.end_col_offset if start else 0
            for new in number_variants(node):
                old = data[start:end].decode()
                change = f"{old}_to_{new}".replace('"', "")
                name = f"{module}.{'/'.join(sorted(names))}__constant_line{node.lineno}_{change}"
                diff = f"--- {rule.module}:{node.lineno}\n-{old}\n+{new}"
                mutants.append((name, diff, (data[:start] + new.encode() + data[end:]).decode()))
    return mutants


def run_constant_mutants(rule: Rule, workdir: Path, outcome: Outcome) -> None:
    """Each constant's mutant in the copy, then the rule's tests; the copy restored after."""
    path = workdir / rule.module
    original = path.read_text()
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:randomly", *rule.tests]
    try:
        for name, diff, mutated in constant_mutants(rule, original):
            path.write_text(mutated)
            try:
                done = subprocess.run(command, cwd=workdir, capture_output=True, timeout=600)
                status = "survived" if done.returncode == 0 else "killed"
            except subprocess.TimeoutExpired:
                status = "timeout"
            outcome.statuses[name], outcome.diffs[name] = status, diff
    finally:
        path.write_text(original)


def measure(rule: Rule, jobs: int) -> Outcome:
    outcome = Outcome(rule)
    lack = missing(rule)
    if lack:
        outcome.state, outcome.note = "not there yet", lack
        return outcome
    workdir = WORK / rule.name
    WORK.mkdir(exist_ok=True)
    with open(WORK / f"{rule.name}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            outcome.state, outcome.note = "failed", "another run of this rule is under way"
            return outcome
        return mutate(rule, workdir, jobs, outcome)


def mutate(rule: Rule, workdir: Path, jobs: int, outcome: Outcome) -> Outcome:
    prepare(rule, workdir)
    every = functions_of(ROOT / rule.module)
    selected = [name for name in every if covers(rule, name)]
    patterns = (
        [] if len(selected) == len(every) else [mangled(rule, n) + "__mutmut_*" for n in selected]
    )
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs), *patterns]
    print(f"{rule.name}: mutating {rule.module} ({len(selected)} functions) ...", flush=True)
    start = time.monotonic()
    with open(workdir / "mutmut.log", "w") as log:
        done = subprocess.run(command, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
    outcome.seconds = time.monotonic() - start
    meta = workdir / "mutants" / f"{rule.module}.meta"
    if done.returncode != 0 or not meta.is_file():
        outcome.state = "failed"
        outcome.note = (
            f"mutmut exited {done.returncode}, see {(workdir / 'mutmut.log').relative_to(ROOT)}"
        )
        return outcome
    outcome.statuses = read_statuses(rule, workdir, selected)
    run_constant_mutants(rule, workdir, outcome)
    outcome.seconds = time.monotonic() - start
    return outcome


def show_survivors(outcome: Outcome, diffs: bool) -> None:
    if not outcome.survivors:
        return
    workdir = WORK / outcome.rule.name
    print(f"\n{outcome.rule.name}: {len(outcome.survivors)} mutants not killed")
    for name in outcome.survivors:
        if not diffs:
            print(f"    {name}: {outcome.statuses[name]}")
            continue
        if name in outcome.diffs:
            print(f"# {name}: {outcome.statuses[name]}\n{outcome.diffs[name]}")
            continue
        shown = subprocess.run(
            [sys.executable, "-m", "mutmut", "show", name],
            cwd=workdir,
            capture_output=True,
            text=True,
        )
        print(shown.stdout.rstrip() or shown.stderr.rstrip())
    if not diffs:
        print(f"    read them: make mutation RULE={outcome.rule.name} SHOW=1")


def score(killed: int, total: int) -> str:
    return f"{100 * killed / total:5.1f} %" if total else "    —"


def print_table(outcomes: list[Outcome]) -> None:
    width = max(len(o.rule.title) for o in outcomes) + 2
    print(f"\n{'rule':<{width}}{'killed':>8}{'total':>8}{'score':>10}   time")
    for o in outcomes:
        if o.state != "measured":
            print(f"{o.rule.title:<{width}}{'':>8}{'':>8}{'':>10}   {o.state}: {o.note}")
            continue
        line = f"{o.rule.title:<{width}}{o.killed:>8}{o.total:>8}{score(o.killed, o.total):>10}"
        print(f"{line}   {o.seconds:.0f} s")
    measured = [o for o in outcomes if o.state == "measured"]
    killed, total = sum(o.killed for o in measured), sum(o.total for o in measured)
    print(f"{'total':<{width}}{killed:>8}{total:>8}{score(killed, total):>10}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "rules", nargs="*", help="rule names (all when none): " + ", ".join(r.name for r in RULES)
    )
    parser.add_argument("--show", action="store_true", help="print the diff of each survivor")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--fail-under", type=float, help="exit 1 when a score is lower")
    args = parser.parse_args()
    unknown = set(args.rules) - {r.name for r in RULES}
    if unknown:
        parser.error(
            f"unknown rule {', '.join(sorted(unknown))}; known: " + ", ".join(r.name for r in RULES)
        )
    outcomes = []
    try:
        for rule in RULES:
            if not args.rules or rule.name in args.rules:
                outcomes.append(measure(rule, args.jobs))
    except KeyboardInterrupt:
        print("\nInterrupted. The sources were never changed: mutants live in .mutation/ only.")
        return 130
    for outcome in outcomes:
        show_survivors(outcome, args.show)
    print_table(outcomes)
    failed = any(o.state == "failed" for o in outcomes)
    low = args.fail_under is not None and any(
        o.total and 100 * o.killed / o.total < args.fail_under for o in outcomes
    )
    return 1 if failed or low else 0


if __name__ == "__main__":
    sys.exit(main())
