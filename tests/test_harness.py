"""The test harness itself: when CI is recognised, what a missing font does."""

from __future__ import annotations

import pytest

import conftest


@pytest.mark.parametrize("value", ["true", "True", "1", "yes", "on", "github-actions"])
def test_any_ci_value_but_0_or_false_means_ci(value):
    assert conftest.in_ci(value)


@pytest.mark.parametrize("value", [None, "", " ", "0", "false", "FALSE"])
def test_unset_empty_0_and_false_mean_a_developers_machine(value):
    assert not conftest.in_ci(value)


def test_missing_fonts_are_named_and_fail_in_ci(monkeypatch):
    monkeypatch.setattr(conftest, "installed_font_families", lambda: {"Noto Serif CJK SC"})
    monkeypatch.setattr(conftest, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="缺少字体 Noto Sans CJK SC、AR PL UKai CN"):
        conftest.require_fonts("Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN")
    monkeypatch.setattr(conftest, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="缺少字体 AR PL UKai CN"):
        conftest.require_fonts("AR PL UKai CN")
    conftest.require_fonts("Noto Serif CJK SC")  # present: neither skips nor fails


def test_the_fonts_the_rendered_tests_assume_are_listed_by_fontconfig():
    # Not a skip: on this machine either they are there or require_fonts says which are missing.
    missing = [f for f in conftest.CJK_FONTS if f not in conftest.installed_font_families()]
    if missing and not conftest.IN_CI:
        pytest.skip(f"缺少字体 {'、'.join(missing)}")
    assert not missing
