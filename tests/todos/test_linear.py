"""Lexing is linear: inputs that made it quadratic (unclosed here-documents, `/[` in
JavaScript, backtick runs in Markdown, quotes in YAML plain scalars…) scan in one pass.

No timed assertion: each input is 1 MB, scanned in a subprocess under a timeout. A linear
lexer scans each one in well under a second (all of them in a few seconds even on a busy
machine); the quadratic one took 62 s for 575 KB of shell, so about 190 s for one of these
inputs, and hours for several. The timeout sits between the two, far from both.
"""

from __future__ import annotations

import subprocess
import sys

# Each unit repeated to 1 MB, then three comments (`#`, `//`, `<!-- -->`): how many of them
# the language must still find (none after an opener that rightly runs to the end; None:
# not checked, when it depends on how the runs pair).
SHAPES = {
    "a.sh": ("cat <<EOF$i\n", 1),
    "b.sh": ('x="$(', 0),
    "a.rb": ("x = <<EOS\n", 1),
    "b.rb": ("y = [/x[, ", 1),
    "a.pl": ("print <<E;\n", 1),
    "b.pl": ("$x / $y; m", 1),
    "a.php": ("<?php $x = <<<EOT\n", 2),
    "a.js": ("x=/[a;", 1),
    "b.js": ("a=(`${", 0),
    "c.jsx": ("x=<a ", 1),
    "d.jsx": ("x=<a>{", None),
    "a.md": ("`` a ``` ", None),
    "b.md": ("x `a\n\n", None),
    "c.md": ("<!-- a --> ` ", 1),
    "a.yml": ("a: b 'c' \"d\" ", 1),
    "b.yml": ("- - - x '", 1),
    "Dockerfile": ("RUN a # b ", 1),
}

PROGRAM = """
import sys
from plankeeper.todos.scan import scan
failures = []
for path, unit, count in SHAPES:
    text = unit * (1_000_000 // len(unit)) + "\\n# TODO here\\n// TODO here\\n<!-- TODO here -->\\n"
    found = len(scan(path, text.encode(), ("TODO",)))
    if count is not None and found != count:
        failures.append(f"{path}: {found} found, {count} expected")
print("\\n".join(failures))
"""


def test_adversarial_inputs_scan_in_linear_time() -> None:
    shapes = [(path, unit, count) for path, (unit, count) in SHAPES.items()]
    result = subprocess.run(
        [sys.executable, "-c", f"SHAPES = {shapes!r}\n{PROGRAM}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip() == ""
