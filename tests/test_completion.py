"""`policyc completion bash|zsh`: scripts made from the parser, tried in a real bash."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _script(shell: str) -> str:
    done = subprocess.run([sys.executable, "-m", "policyc", "completion", shell], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _complete(script: str, words: list[str], tmp_path) -> list[str]:
    """What bash offers after `words` (the last one being typed), with the script sourced."""
    (tmp_path / "completion.bash").write_text(script)
    line = " ".join(words)
    program = (f"source {tmp_path / 'completion.bash'}\n"
               f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
               f"COMP_LINE={line!r}; COMP_POINT=${{#COMP_LINE}}\n"
               "_shtab_policyc\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    return done.stdout.split()


@pytest.mark.slow
def test_bash_completes_commands_and_each_commands_own_options(tmp_path):
    script = _script("bash")
    assert _complete(script, ["policyc", "rat"], tmp_path) == ["ratify"]
    assert set(_complete(script, ["policyc", ""], tmp_path)) >= {"build", "validate", "ratify", "import", "new"}
    assert "--amend" in _complete(script, ["policyc", "ratify", "--am"], tmp_path)
    assert "--fail-on" in _complete(script, ["policyc", "status", "--fa"], tmp_path)
    assert "--amend" not in _complete(script, ["policyc", "status", "--"], tmp_path)
    (tmp_path / "policy_src").mkdir()
    assert _complete(script, ["policyc", "build", "--source", "pol"], tmp_path) == ["policy_src"]


@pytest.mark.slow
def test_zsh_script_names_the_commands_and_an_unknown_shell_is_a_usage_error():
    script = _script("zsh")
    assert script.startswith("#compdef policyc")
    assert "ratify" in script and "--amend" in script
    done = subprocess.run([sys.executable, "-m", "policyc", "completion", "fish"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and "invalid choice: 'fish'" in done.stderr


@pytest.mark.slow
def test_zsh_reads_the_script(tmp_path):
    """scripts/setup.sh --test installs zsh; without it here this fails, as it should."""
    (tmp_path / "_policyc").write_text(_script("zsh"))
    done = subprocess.run(["zsh", "-n", str(tmp_path / "_policyc")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
