"""`briefing build --all`: issues rendered by parallel workers, the same files as one process."""

from __future__ import annotations

from click.testing import CliRunner

from briefings.build import build
from briefings.cli import main

from conftest import copy_samples
from test_dates_templates import drop_body, workspace_with_template


def files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_parallel_build_writes_the_serial_build_bytes(tmp_path):
    # Two cold copies: both builds process the pictures themselves, none reuses the other's cache.
    seen = []
    parallel = build(copy_samples(tmp_path / "ws1"), tmp_path / "parallel", jobs=2,
                     rendered=lambda *args: seen.append(args))
    serial = build(copy_samples(tmp_path / "ws2"), tmp_path / "serial")
    assert [p.relative_to(tmp_path / "parallel") for p in parallel] == \
           [p.relative_to(tmp_path / "serial") for p in serial]
    assert files(tmp_path / "parallel") == files(tmp_path / "serial") and len(serial) == 7  # two 简报 and a 公文, each as DOCX and HTML, and the index
    assert sorted(done for done, _, _ in seen) == [1, 2]
    assert {issue for _, total, issue in seen if total == 2} == {"luxian/2017-09", "suining/2023-07"}


def test_build_all_command_reports_progress(tmp_path):
    out = tmp_path / "out"
    root = copy_samples(tmp_path / "ws")
    result = CliRunner().invoke(main, ["-w", str(root), "build", "--all", "-j", "2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "已生成第 2/2 期" in result.output and "完成：7 个文件" in result.output
    build(copy_samples(tmp_path / "ws2"), tmp_path / "serial")
    assert files(out) == files(tmp_path / "serial")

    refused = CliRunner().invoke(main, ["-w", str(root), "build", "--all", "luxian/2017-09"])
    assert refused.exit_code == 2 and "--all" in refused.output


def body_in_page_header(template):
    """{{ body }} moved into the page header: the field exists, so the check passes,
    but the writer finds no body paragraph, and fails inside a worker."""
    drop_body(template)
    template.sections[0].header.paragraphs[0].text = "{{ body }}"


def test_error_in_a_worker_writes_nothing(tmp_path):
    root = workspace_with_template(tmp_path, body_in_page_header)
    result = CliRunner().invoke(main, ["-w", str(root), "build", "--all", "-j", "2"])
    assert result.exit_code == 1
    assert "series/custom.docx" in result.output and "{{ body }}" in result.output
    assert not (root / "dist").exists()
