"""libyaml reads a valid file exactly as PyYAML's Python reader does: same values, same
positions, same problems; anything it refuses is read again in Python for the message."""

import random
from pathlib import Path

import pytest

from policyc.errors import Problems
from policyc.source import read
from tests.helpers import EXAMPLE, POLICY, ROOT, SCHOOL, TRUST
from tests.fuzzing import _damage

pytestmark = pytest.mark.skipif(read._CParser is None, reason="PyYAML was built without libyaml")


def _both(text: str, monkeypatch):
    """(data, positions, key positions, refused, problems) read with libyaml, then in Python only."""
    results = []
    for fast in (True, False):
        with monkeypatch.context() as patch:
            if not fast:
                patch.setattr(read, "_CParser", None)
            problems = Problems()
            source = read.parse_yaml(text, Path("x.yaml"), "x.yaml", problems)
            shown = [(str(p.position), p.message, p.hint) for p in problems.errors + problems.warnings]
            results.append(shown if source is None else
                           (source.data, source.positions, source.key_positions, source.refused, shown))
    return results


def _texts() -> list[str]:
    files = sorted(EXAMPLE.rglob("*.yaml")) + sorted((ROOT / "policyc" / "starter").rglob("*.yaml"))
    return [TRUST, POLICY, SCHOOL] + [f.read_text(encoding="utf-8") for f in files]


def test_every_example_file_reads_the_same_both_ways(monkeypatch):
    texts = _texts()
    assert len(texts) > 15
    for text in texts:
        fast, slow = _both(text, monkeypatch)
        assert fast == slow


@pytest.mark.slow
def test_damaged_files_read_the_same_both_ways(monkeypatch):
    """Broken YAML (tabs, aliases, stray colons, control characters, cut short, deep
    nesting, wrong indentation) gives the same messages at the same places."""
    rng = random.Random(20261129)
    texts = _texts()
    for _ in range(300):
        damaged = _damage(rng.choice(texts), rng, [])
        try:
            text = damaged.decode("utf-8")
        except UnicodeDecodeError:
            continue
        fast, slow = _both(text, monkeypatch)
        assert fast == slow, text


@pytest.mark.parametrize("text", [
    "a: &x [1]\nb: *x\n", "a: " + "[" * 200 + "]" * 200 + "\n", "a: 1\na: 2\n", "a: !!python/object:os.system x\n",
    "a: {x: é€, y: ‘q’}\nb: [£1, 'ü', \"é\"]\nc: |\n  ü line\n  more\nd: é\n", "\ufeffa: b\n", "a: b\x85c\n",
    "? [a]\n: b\n", "<<: {a: 1}\n", "a:\tb\n", "- a\n- b: c\n  d: [e]\n", "a: 'it''s'\nb: \"\\u00e9\\n\"\n", "",
    "# only a comment\n", "---\na: 1\n---\nb: 2\n", "a: b\n...\n", "%YAML 1.1\n---\na: 1\n", "a: \x7f\n", "a: b\u2028c: d\n", "a: [b,\tc]\n", "- \ta\n", "a: 'x\ty'\n", "k" * 1100 + ": v\n",
    "a: b\rc: d\r\n", "a: >-\n  folded\n\n  text\n", "a: |2\n   x\n",
])
def test_edge_cases_read_the_same_both_ways(text, monkeypatch):
    fast, slow = _both(text, monkeypatch)
    assert fast == slow
