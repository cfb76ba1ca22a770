"""House rules that ruff, mypy and import-linter can't express. Run by `make lint`; prints each breach and exits 1.

- modules are named for what they hold: no `*_more.py`;
- no app imports another app's private names (`from kindred.groups.services import _facilitators`);
- every `type: ignore` names its error code and says why, in a comment after it;
- comments and docstrings don't say who wrote something or which issue or part it came from;
- only the reach gate sends: nothing else imports Django's mail functions, queues emails, writes a notice or calls
  `notify(`; the account-security emails (`kindred/accounts/security_emails.py`) are the one exception.

`KNOWN` lists the files that broke a rule when the rule was written. A listed file that has been mended must
leave the list (the check says so), and nothing new may join it, so each list only shrinks.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDRED = ROOT / "kindred"

AUTHORSHIP = re.compile(r"\bissue \d+|\bissue #\d+|\bparts? \d+(?:[-–,]\d+)*\b|engineer|owned by|written by", re.I)
TYPE_IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")
# The modules allowed to send: the reach gate, the core task and helpers that hand an email to the mail server,
# and the account-security emails (which must never wait or be held back).
QUEUEING = {"send_email", "email_after_commit", "send_now"}
SENDERS = {
    "kindred/commons/reach.py",
    "kindred/core/tasks.py",
    "kindred/core/email.py",
    "kindred/accounts/security_emails.py",
}
# Calls that send: Django's mail, the core queueing helpers, an old-style `notify(`, or writing a notice directly.
SENDING_CALLS = QUEUEING | {"send_mail", "send_mass_mail", "mail_admins", "mail_managers", "notify"}
SENDING_CLASSES = {"EmailMessage", "EmailMultiAlternatives"}
NOTICE_WRITES = {"create", "bulk_create", "get_or_create", "update_or_create"}

KNOWN: dict[str, set[str]] = {
    "more_modules": set(),
    "private_imports": {
        "kindred/care/services.py",
    },
    "type_ignore_reason": {
        "kindred/accounts/api_auth.py",
        "kindred/accounts/export_views.py",
        "kindred/accounts/token_views.py",
        "kindred/accounts/views.py",
        "kindred/community/api.py",
        "kindred/community/moderation.py",
        "kindred/demo/journeys.py",
        "kindred/directory/chooser.py",
        "kindred/directory/forms_listings.py",
        "kindred/directory/forms_referrals.py",
        "kindred/directory/forms_search.py",
        "kindred/groups/access.py",
        "kindred/groups/closure.py",
        "kindred/groups/recurrence.py",
        "kindred/journey/access.py",
        "kindred/onetoone/api_practice.py",
        "kindred/onetoone/forms_practice.py",
        "kindred/onetoone/matching/adapter.py",
        "kindred/onetoone/practice.py",
        "kindred/onetoone/services.py",
        "kindred/onetoone/views.py",
        "kindred/organisations/admin.py",
        "kindred/safety/screening.py",
        "kindred/wellbeing/chart.py",
        "kindred/wellbeing/views.py",
    },
    "authorship": set(),
    "sending": set(),
}


def app_of(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[1] if len(parts) > 2 else ""


def source_files() -> list[Path]:
    return sorted(p for p in KINDRED.rglob("*.py") if "migrations" not in p.parts and "tests" not in p.parts)


def comments_and_docstrings(tree: ast.AST, text: str) -> list[tuple[int, str]]:
    found = [(n, line.split("#", 1)[1]) for n, line in enumerate(text.splitlines(), 1) if "#" in line]
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                first = node.body[0].lineno if node.body else 1
                found.append((first, doc))
    return found


def _call_names(func: ast.expr) -> list[str]:
    """The names along a call's target: `send_email.using(...).enqueue` gives enqueue, using, send_email."""
    names: list[str] = []
    node: ast.expr | None = func
    while node is not None:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Name):
            names.append(node.id)
            node = None
        else:
            node = None
    return names


def sending_call(call: ast.Call) -> str:
    """What a call sends by itself, or "" (see SENDING_CALLS)."""
    names = _call_names(call.func)
    if not names:
        return ""
    if names[0] in SENDING_CALLS | SENDING_CLASSES or (len(names) > 1 and names[-1] in QUEUEING):
        return names[0] if names[0] in SENDING_CALLS | SENDING_CLASSES else names[-1]
    if names[-1] == "Notification" and names[0] in NOTICE_WRITES:
        return f"Notification.{names[0]}"
    return ""


def breaches(path: Path) -> dict[str, list[str]]:
    rel = str(path.relative_to(ROOT))
    text = path.read_text()
    tree = ast.parse(text)
    found: dict[str, list[str]] = {rule: [] for rule in KNOWN}
    if path.name.endswith("_more.py"):
        found["more_modules"].append(f"{rel}: name the module for what it holds")
    here = app_of(path)
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        names = {alias.name for alias in node.names}
        if node.module.startswith("kindred.") and node.module.split(".")[1] != here:
            for name in sorted(n for n in names if n.startswith("_")):
                found["private_imports"].append(f"{rel}:{node.lineno}: imports {node.module}.{name}")
        if rel in SENDERS:
            continue
        sends = (
            node.module.startswith("django.core.mail")
            or (node.module == "django.core" and "mail" in names)
            or (
                node.module in {"kindred.core.tasks", "kindred.core.email"}
                and names & {"send_email", "email_after_commit"}
            )
            or (node.module == "kindred.notifications.services" and "notify" in names)
        )
        if sends:
            found["sending"].append(f"{rel}:{node.lineno}: sends by itself ({node.module}); go through the reach gate")
    if rel not in SENDERS:
        calls = {(n.lineno, sending_call(n)) for n in ast.walk(tree) if isinstance(n, ast.Call)}
        for lineno, what in sorted(c for c in calls if c[1]):
            found["sending"].append(f"{rel}:{lineno}: sends by itself ({what}); go through the reach gate")
    for number, line in enumerate(text.splitlines(), 1):
        match = TYPE_IGNORE.search(line)
        if match and (not match.group("codes") or not match.group("rest").strip().lstrip("#").strip()):
            found["type_ignore_reason"].append(
                f"{rel}:{number}: say which error and why: `# type: ignore[code]  # why`"
            )
    for number, words in comments_and_docstrings(tree, text):
        if AUTHORSHIP.search(words):
            found["authorship"].append(f"{rel}:{number}: {AUTHORSHIP.search(words).group(0)!r} (belongs in commits)")
    return found


def prune(mended: dict[str, set[str]]) -> None:
    """Rewrite KNOWN in this file without the files that no longer break their rule."""
    text = Path(__file__).read_text()
    for rule, files in mended.items():
        start = text.index(f'    "{rule}": ')
        end = text.index("\n    }", start) + 1 if text[start:].find("{\n") != -1 else start
        block = text[start:end]
        for rel in files:
            block = block.replace(f'        "{rel}",\n', "")
        if block.rstrip().endswith("{"):
            block = block.rstrip()[:-1] + "set(),"
            end = text.index("\n    }", start) + len("\n    },")
        text = text[:start] + block + text[end:]
    Path(__file__).write_text(text)


def main(*, mend: bool = False) -> int:
    problems: list[str] = []
    mended: dict[str, set[str]] = {}
    seen: dict[str, set[str]] = {rule: set() for rule in KNOWN}
    for path in source_files():
        rel = str(path.relative_to(ROOT))
        for rule, items in breaches(path).items():
            if not items:
                continue
            seen[rule].add(rel)
            if rel not in KNOWN[rule]:
                problems.extend(f"[{rule}] {item}" for item in items)
    for rule, files in KNOWN.items():
        for rel in sorted(files - seen[rule]):
            mended.setdefault(rule, set()).add(rel)
            if not mend:
                problems.append(
                    f"[{rule}] {rel} no longer breaks this rule: take it off KNOWN ({Path(__file__).name} --prune)"
                )
    if mend and mended:
        prune(mended)
        for rule, files in mended.items():
            print(f"[{rule}] taken off KNOWN: {', '.join(sorted(files))}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    if "--list" in sys.argv:
        for path in source_files():
            for rule, items in breaches(path).items():
                if items:
                    print(rule, path.relative_to(ROOT))
        sys.exit(0)
    sys.exit(main(mend="--prune" in sys.argv))
