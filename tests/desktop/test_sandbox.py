"""Qt WebEngine's Chromium sandbox stays on unless the kernel keeps it from starting (the
bundle test runs the window sandboxed, as a normal user, on this machine)."""

from pathlib import Path

from desktop.window import sandbox_unavailable


def test_the_sandbox_stays_on_where_user_namespaces_are_allowed(tmp_path: Path) -> None:
    assert sandbox_unavailable(tmp_path) is None  # a kernel without either setting
    (tmp_path / "apparmor_restrict_unprivileged_userns").write_text("0\n")
    (tmp_path / "unprivileged_userns_clone").write_text("1\n")
    assert sandbox_unavailable(tmp_path) is None


def test_ubuntus_apparmor_rule_turns_it_off(tmp_path: Path) -> None:
    (tmp_path / "apparmor_restrict_unprivileged_userns").write_text("1\n")
    assert sandbox_unavailable(tmp_path) == "kernel.apparmor_restrict_unprivileged_userns = 1"


def test_older_debians_switch_turns_it_off(tmp_path: Path) -> None:
    (tmp_path / "unprivileged_userns_clone").write_text("0\n")
    assert sandbox_unavailable(tmp_path) == "kernel.unprivileged_userns_clone = 0"
