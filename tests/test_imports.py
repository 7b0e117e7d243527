"""`import searchkit` stays cheap: no prompt_toolkit, no BeautifulSoup, no whoosh until needed."""

import subprocess
import sys

from conftest import ROOT


def loaded_after(code: str) -> set[str]:
    probe = f"import sys; {code}; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_import_searchkit_leaves_heavy_modules_out():
    modules = loaded_after("import searchkit")
    for heavy in ("prompt_toolkit", "bs4", "whoosh", "opensearchpy"):
        assert heavy not in modules, heavy


def test_search_path_does_not_load_repl_or_html_machinery(tmp_path):
    code = (
        "import searchkit, searchkit.cli, searchkit.search.searcher, searchkit.render.text"
    )
    modules = loaded_after(code)
    assert "prompt_toolkit" not in modules and "bs4" not in modules


def test_embedded_search_path_leaves_the_cluster_client_out():
    modules = loaded_after("import searchkit, searchkit.api, searchkit.cli, searchkit.search.searcher")
    assert "opensearchpy" not in modules and "searchkit.opensearch.engine" not in modules
