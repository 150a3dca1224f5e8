"""A big or broken file in the config folder does not slow every start: a file over the
size limit is refused unread, a format asked for by name reads only its own file, and
an unchanged file is not parsed twice in one process."""

from __future__ import annotations

import pytest
import yaml

from kring.workformats import loader
from kring.workformats.loader import MAX_BYTES, catalog, find


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("KRING_CONFIG_DIR", str(tmp_path))
    (tmp_path / "werkvormen").mkdir()
    return tmp_path / "werkvormen"


@pytest.fixture
def parsed(monkeypatch):
    """The texts PyYAML was asked to parse."""
    seen: list[str] = []
    real = yaml.parse

    def parse(text, *a, **kw):  # noqa: ANN001
        seen.append(text)
        return real(text, *a, **kw)

    monkeypatch.setattr(loader.yaml, "parse", parse)
    return seen


def big_format(steps: int = 10_000) -> str:
    return "name: groot\ntitle: Groot\nsteps:\n" + "".join(f"  - title: Stap {i}\n    minutes: 1\n    mode: open\n"
                                                           for i in range(steps))


def test_a_file_over_the_limit_is_refused_unread_with_one_line(config, parsed, english):
    (config / "groot.yaml").write_text(big_format())
    assert (config / "groot.yaml").stat().st_size > MAX_BYTES
    cat = catalog()
    [err] = cat.broken
    assert "\n" not in str(err) and "larger than" in str(err)
    assert not any("Stap 9999" in t for t in parsed)


def test_a_format_by_name_reads_only_its_own_file(config, parsed):
    # broken, under the limit: 1,000 steps where a format holds 100
    (config / "lang.yaml").write_text(big_format(1_000).replace("groot", "lang"))
    (config / "eigen.yaml").write_text("name: eigen\ntitle: Eigen\nsource: Test\nsteps:\n  - title: Een\n    minutes: 5\n    mode: open\n")
    assert find("standaard").name == "standaard"
    assert find("eigen").title == "Eigen"
    assert not any("Stap 999" in t for t in parsed)
    with pytest.raises(loader.FormatError):
        find("lang")  # asked for by name, its own error


def test_an_unchanged_file_is_parsed_once(config, parsed):
    path = config / "eigen.yaml"
    path.write_text("name: eigen\ntitle: Eigen\nsource: Test\nsteps:\n  - title: Een\n    minutes: 5\n    mode: open\n")
    catalog()
    catalog()
    assert sum("title: Eigen" in t for t in parsed) == 1
    path.write_text("name: eigen\ntitle: Eigen twee\nsource: Test\nsteps:\n  - title: Een\n    minutes: 5\n    mode: open\n")
    assert catalog().formats["eigen"].title == "Eigen twee"
