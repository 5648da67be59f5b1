"""Every template is documented: linked from ci_templates/README.md with its section, and the main
README's `## CI templates` section points there."""

from __future__ import annotations

import re

from templates_ci.tools import ROOT, TEMPLATES

GUIDE = (TEMPLATES / "README.md").read_text(encoding="utf-8")
SECTIONS = {"github": "GitHub Actions", "gitlab": "GitLab CI", "jenkins": "Jenkins", "azure": "Azure Pipelines"}


def template_files() -> list[str]:
    files = (path for path in TEMPLATES.rglob("*") if path.is_file() and path.name != "README.md")
    return sorted(path.relative_to(TEMPLATES).as_posix() for path in files)


def test_every_template_file_is_linked_from_the_guide():
    files = template_files()
    assert {name.split("/")[0] for name in files} == set(SECTIONS)
    for name in files:
        assert f"]({name})" in GUIDE, name


def test_guide_has_a_section_per_ci_with_include_tokens_and_what_people_see():
    for title in SECTIONS.values():
        match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", GUIDE, re.M | re.S)
        assert match, f"ci_templates/README.md has no '## {title}' section"
        body = match.group(1)
        assert "**Include it" in body, title
        assert re.search(r"\*\*(Token|Credentials|Permissions)\.\*\*", body), title
        assert "**What people see.**" in body, title


def test_main_readme_summarises_and_links_the_templates():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## CI templates\n(.*?)(?=^## |\Z)", readme, re.M | re.S)
    assert match, "README has no '## CI templates' section"
    body = match.group(1)
    assert "](ci_templates/README.md)" in body
    for name in template_files():
        assert f"](ci_templates/{name})" in body, name
