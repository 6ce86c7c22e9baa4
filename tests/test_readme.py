"""The README stays true to the project."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_readme_documents_every_vocabulary_term():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    vocabulary = yaml.safe_load((ROOT / "fixtures/content/vocabulary.yaml").read_text())
    for terms in vocabulary.values():
        for term in terms:
            assert f"| {term['name']} | `{term['slug']}` | {term['description']} |" in readme


def test_readme_documents_every_environment_variable():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sources = (ROOT / "coproduction_portal/settings.py").read_text() + (
        ROOT / "gunicorn.conf.py"
    ).read_text()
    import re

    names = set(re.findall(r'env_(?:bool|int|list)\("([A-Z_]+)"', sources))
    names |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', sources))
    assert names, "expected to find environment variables"
    for name in names:
        assert f"| `{name}` |" in readme, name


def test_readme_architecture_names_files_that_exist():
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([\w/]+(?:\.py|/))`", section))
    assert len(named) > 10, named
    for path in named:
        candidates = [ROOT / path, ROOT / "casestudies" / path, ROOT / "casestudies/admin" / path]
        candidates.append(ROOT / "casestudies/report_import" / path)
        assert any(candidate.exists() for candidate in candidates), path
