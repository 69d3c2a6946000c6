"""Several `driftrec ui` workers on real shared servers: one PostgreSQL event log, one `chroma run`.

Each worker is a real `driftrec ui` process (as a deployment starts it), reached over HTTP with
gradio_client; the servers are real ones started for the session (see conftest). A session lives
in the worker that started it (Gradio keeps its state in memory: the proxy keeps a browser on one
worker), but a user's data does not: a profile started on one worker is continued on another with
its return code, and what either worker records shows in the other's next list.
"""

from __future__ import annotations

import os
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from evaluation.app_load import AppProcess, prepare_home
from retrieval.settings import Settings, load_settings
from tracking.events import EventKind, open_event_log

pytestmark = pytest.mark.slow

REFRESH = "recommend me some movies"


@pytest.fixture(scope="module")
def shared(postgres, chroma_server, data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A home with a model (random tables of the trained shape) and ml-100k ingested into PostgreSQL."""
    url = postgres.create_database("workers")
    return prepare_home("ml-100k", data_dir, tmp_path_factory.mktemp("workers-home"), dim=32,
                        events_url=url, chroma_url=chroma_server.url)


@pytest.fixture(scope="module")
def workers(shared: Settings):
    with AppProcess(shared, "none") as first, AppProcess(shared, "none") as second:
        yield first, second


def _client(worker: AppProcess):
    from gradio_client import Client

    return Client(worker.url, verbose=False)


def _ids(view: dict) -> list[int]:
    return [card["movie_id"] for card in view["cards"]]


def _chat(client, message: str) -> dict:
    view = client.predict(message, api_name="/chat")[0]
    return view


def _dislikes(settings: Settings, user: str) -> list[int]:
    with open_event_log(settings) as log:
        return [e.movie_id for e in log.events_for(user) if e.kind is EventKind.DISLIKE]


def test_feedback_through_either_worker_shows_in_the_others_next_list(shared: Settings, workers) -> None:
    first, second = workers
    on_first, on_second = _client(first), _client(second)
    view = on_first.predict("New profile", "pat", "", api_name="/start")[0]
    code = view["return_code"]
    assert code and code.startswith("p-")
    first_dislike = _ids(view)[0]
    on_first.predict(first_dislike, "dislike", api_name="/react")  # a profile exists once it holds feedback
    view = on_second.predict("Return code", code, "", api_name="/start")[0]
    assert first_dislike not in _ids(view)
    disliked: list[int] = [first_dislike]
    for round_ in range(3):  # interleaved: a 👎 through one worker, the next list from the other
        for here, there in ((on_first, on_second), (on_second, on_first)):
            shown = _ids(_chat(here, REFRESH))
            view = here.predict(shown[0], "dislike", api_name="/react")[0]
            disliked.append(shown[0])
            assert shown[0] not in _ids(view)
            elsewhere = _ids(_chat(there, REFRESH))
            assert not set(disliked) & set(elsewhere), f"round {round_}: the other worker still lists a 👎 movie"
    assert sorted(_dislikes(shared, code)) == sorted(disliked)  # nothing lost, nothing twice
    assert _ids(_chat(on_first, REFRESH)) == _ids(_chat(on_second, REFRESH))  # both workers agree


def test_a_worker_killed_mid_turn_loses_no_acknowledged_event(shared: Settings, workers) -> None:
    _, survivor = workers
    with AppProcess(shared, "none") as doomed:
        on_doomed = _client(doomed)
        code = on_doomed.predict("New profile", "kim", "", api_name="/start")[0]["return_code"]
        acknowledged = []
        for _ in range(3):
            shown = _ids(_chat(on_doomed, REFRESH))
            on_doomed.predict(shown[0], "dislike", api_name="/react")
            acknowledged.append(shown[0])
        job = on_doomed.submit("I've had my fill of horror, more comedies please", api_name="/chat")
        time.sleep(0.05)
        doomed.kill()  # mid-turn: the reply may or may not have been written
        with pytest.raises(Exception):
            job.result(timeout=30)
    stored = _dislikes(shared, code)
    assert set(acknowledged) <= set(stored) and len(stored) == len(set(stored)) == 3
    on_survivor = _client(survivor)
    view = on_survivor.predict("Return code", code, "", api_name="/start")[0]
    assert not set(acknowledged) & set(_ids(view))
    with open_event_log(shared) as log:
        assert log.integrity_check() == ["ok"]


def test_forget_through_one_worker_ends_the_profile_on_the_other(shared: Settings, workers) -> None:
    first, second = workers
    on_first, on_second = _client(first), _client(second)
    code = on_first.predict("New profile", "lee", "", api_name="/start")[0]["return_code"]
    shown = _ids(_chat(on_first, REFRESH))
    on_first.predict(shown[0], "like", api_name="/react")
    on_second.predict("Return code", code, "", api_name="/start")
    armed = on_first.predict(api_name="/forget")[1]
    assert "again" in armed and _dislikes(shared, code) == [] and open_event_log(shared).count(code) > 0
    done = on_first.predict(api_name="/forget")[1]
    assert "Deleted your profile" in done
    with open_event_log(shared) as log:
        assert log.count(code) == 0 and log.profile_versions(code) == []
    with pytest.raises(Exception, match="deleted"):
        _chat(on_second, REFRESH)  # the other worker's session of that profile has ended
    with pytest.raises(Exception, match="return code"):
        _client(second).predict("Return code", code, "", api_name="/start")


def test_workers_share_one_llm_server(shared: Settings) -> None:
    """Two workers phrase through one OpenAI-compatible server (llama.cpp), not a model each."""
    from agent.llm_server import LlmServer
    from tracking.servers import free_port

    server = LlmServer("smollm2-135m", shared, port=free_port(), parallel=2, threads=1)
    assert server.check()["choices"][0]["message"]["content"]
    settings = shared.model_copy(update={"llm_url": server.url})
    with AppProcess(settings, "openai:smollm2-135m") as first, AppProcess(settings, "openai:smollm2-135m") as second:
        for worker in (first, second):
            assert "smollm2-135m" in worker.model
            client = _client(worker)
            client.predict("New profile", "sam", "", api_name="/start")
            view = _chat(client, "more comedies please")
            assert view["cards"] and "Comedy" in view["reply"]
            words = client.predict(api_name="/words")[0]
            assert words["reply"].startswith(view["reply"][:20])  # the model adds to the code's reply, never replaces it


def test_driftrec_cluster_serves_workers_behind_one_address_and_stops_them_all(
    trained_home: Settings, server_folder: Path
) -> None:
    """`driftrec cluster`: servers, set-up, two workers and the proxy; Ctrl-C stops every process."""
    import re
    import signal
    import subprocess
    import sys

    from gradio_client import Client

    from tracking.servers import free_port

    port = free_port()
    command = [str(Path(sys.executable).with_name("driftrec")), "cluster", "--workers", "2", "--port", str(port),
               "--folder", str(server_folder / "cluster"), "--home", str(trained_home.home),
               "--data-dir", str(trained_home.data_dir), "--dataset", trained_home.dataset]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"})
    console: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            console.append(line)
            if "Proxy on" in line:
                break
        assert any("Proxy on" in line for line in console), "".join(console[-30:])
        workers = [re.search(r"Worker \d: (\S+)", line)[1] for line in console if re.match(r"Worker \d: ", line)]
        assert len(workers) == 2
        first, second = Client(f"http://127.0.0.1:{port}", verbose=False), Client(f"http://127.0.0.1:{port}", verbose=False)
        assert {first.cookies["driftrec_worker"], second.cookies["driftrec_worker"]} == {"0", "1"}
        view = first.predict("New profile", "ada", "", api_name="/start")[0]
        view = _chat(first, "less horror, more 90s comedies")
        again = second.predict("Return code", view["return_code"], "", api_name="/start")[0]
        assert _ids(again) == _ids(view)  # the other worker, the same profile and list
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=120)
    assert process.returncode is not None
    leftovers = subprocess.run(["pgrep", "-f", str(server_folder / "cluster")], capture_output=True, text=True).stdout
    assert not leftovers.strip(), f"servers still running: {leftovers}"
    for url in workers:
        with pytest.raises(OSError):
            urllib.request.urlopen(url, timeout=5)
