"""`publisher serve` answers over HTTP, shows errors in the page and signals a reload."""

import queue
import threading
import time
import urllib.request

from publisher import serve


def _get(port, path="/"):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read().decode("utf-8")


def test_serve_answers_reloads_after_an_edit_and_shows_errors_in_the_page(project):
    case = project / "content" / "cases" / "01-eerste-case.md"
    edits: queue.Queue = queue.Queue()
    ports: queue.Queue = queue.Queue()
    lines: list[str] = []

    def changes():
        while True:
            batch = edits.get()
            if batch is None:
                return
            yield batch

    worker = threading.Thread(target=serve.serve, args=(project, changes(), lines.append), kwargs={"port": 0, "started": ports.put})
    worker.start()
    try:
        port = ports.get(timeout=60)

        def build_number(after):
            for _ in range(600):  # bounded: at most a minute
                number = int(_get(port, serve.VERSION_PATH))
                if number > after:
                    return number
                time.sleep(0.1)
            raise AssertionError(lines)

        first = build_number(0)
        page = _get(port)
        assert "Eerste case" in page and serve.VERSION_PATH in page  # the page asks for reloads
        # an editor's swap file changes nothing
        edits.put({(1, str(project / "content" / "cases" / ".01-eerste-case.md.swp"))})
        case.write_text(case.read_text("utf-8").replace("Tekst over de situatie.", "Tekst over de nieuwe situatie."), "utf-8")
        edits.put({(1, str(case))})
        second = build_number(first)
        assert second == first + 1 and "nieuwe situatie" in _get(port)
        case.write_text(case.read_text("utf-8") + "\n::: dilemma Open\n", "utf-8")
        edits.put({(1, str(case))})
        third = build_number(second)
        page = _get(port)
        assert "The last save has errors" in page and "error[B301]" in page
        assert int(_get(port, serve.VERSION_PATH)) == third
        assert any("error[B301]" in line for line in lines)  # the terminal says it too
    finally:
        edits.put(None)
        worker.join(timeout=120)
    assert not worker.is_alive()
    assert "changed: content/cases/01-eerste-case.md" in lines and not any(".swp" in line for line in lines)
