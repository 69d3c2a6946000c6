"""Interest summaries from computed facts, and the check that generated text holds only those facts."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from tracking.events import Event
from tracking.grounding import Facts, MentionVocabulary, genre_words, ungrounded
from tracking.service import Tracker
from tracking.summary import summarise, template_summary

VOCABULARY = MentionVocabulary(
    titles=("Alien", "Aliens", "The Matrix", "Toy Story", "Heat", "Se7en", "Amelie"),
    genres=("Comedy", "Horror", "Sci-Fi", "Children's", "Drama"),
)


def scripted(*texts: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(t) for t in texts]))


def test_genre_words_cover_plurals_and_synonyms():
    assert {"comedy", "comedies"} <= genre_words("Comedy")
    assert {"sci-fi", "sci fi", "science fiction"} <= genre_words("Sci-Fi")
    assert "kids" in genre_words("Children's")


def test_grounded_text_passes_and_each_kind_of_invention_is_caught():
    facts = Facts(titles={"Alien", "The Matrix"}, genres={"Sci-Fi", "Horror"}, years={1979, 1999})
    facts.allow_numbers([0.4213, 12.5])
    assert ungrounded("You love Sci-Fi and horror, like Alien and The Matrix from the 1990s; share 0.42.", facts, VOCABULARY) == []
    assert ungrounded("Top 3 picks, 42% share, logit 12.5.", facts, VOCABULARY) == []  # small counts, percent, exact figure
    assert ungrounded("You would enjoy Toy Story.", facts, VOCABULARY) == ["title 'Toy Story'"]
    assert ungrounded("You like comedies.", facts, VOCABULARY) == ["genre 'Comedy'"]
    assert ungrounded("Mostly movies from the 80s.", facts, VOCABULARY) == ["decade '80s'"]
    assert ungrounded("Released in 1984.", facts, VOCABULARY) == ["year 1984"]
    assert ungrounded("A score of 0.77.", facts, VOCABULARY) == ["number 0.77"]
    assert "title '«Blade Runner 3000»'" in ungrounded('Try "Blade Runner 3000".', facts, VOCABULARY)


def test_ordinary_words_are_not_mistaken_for_titles():
    # "Heat" is a title, but short single words are common prose: only long or multi-word titles count.
    assert ungrounded("Feel the heat of the moment.", Facts(), VOCABULARY) == []


def test_summarise_keeps_a_grounded_llm_text_and_refuses_an_invented_one():
    facts = {"interactions": 40, "top_genres_long": {"Horror": 0.5, "Sci-Fi": 0.3}, "top_genres_short": {"Comedy": 0.6},
             "new_recent_genres": ["Comedy"], "decades_long": ["1970s"], "decades_recent": ["1990s"],
             "representative": ["Alien"], "recent_titles": ["The Matrix"], "feedback": {}, "feedback_genres": []}
    text, source, problems = summarise(facts, VOCABULARY, scripted("Long a fan of horror like Alien from the 1970s; lately more comedies."))
    assert (source, problems) == ("llm", []) and "Alien" in text
    text, source, problems = summarise(facts, VOCABULARY, scripted("Loves Toy Story and dramas."))
    assert source == "template" and text == template_summary(facts)
    assert "title 'Toy Story'" in problems and "genre 'Drama'" in problems
    assert summarise(facts, VOCABULARY, None)[1] == "template"


@pytest.mark.slow
def test_tracker_writes_llm_summaries_into_versions_and_chroma(trained_home):
    tracker = Tracker(trained_home)
    user = "summary-user"
    tracker.record([Event.new(user, "rating", movie_id=m, value=5, event_id=f"s{m}") for m in (1, 50, 181)])
    facts = tracker.summary_facts(user)
    assert facts["top_genres_long"] and facts["representative"] and facts["decades_long"]
    grounded = f"Mostly {next(iter(facts['top_genres_long'])).lower()}, such as {facts['representative'][0]}."
    tracker.summary_model = scripted(grounded, "Loves Schindler's List and westerns.")
    tracker.record([Event.new(user, "preference", attribute="genre:Horror", value=-1, hard=True, event_id="s-rule")])
    latest = tracker.log.latest_profile_version(user)["payload"]
    assert (latest["summary"], latest["summary_source"]) == (grounded, "llm")
    stored = tracker._profile_collection().get(ids=[user], include=["documents", "metadatas"])
    assert stored["documents"] == [grounded] and stored["metadatas"][0]["summary_source"] == "llm"
    tracker.record([Event.new(user, "preference", attribute="genre:War", value=-1, hard=True, event_id="s-rule2")])
    latest = tracker.log.latest_profile_version(user)["payload"]
    assert latest["summary_source"] == "template" and "never Horror" in latest["summary"]
    tracker.close()


@pytest.mark.slow
def test_shared_tracker_summarises_outside_its_lock(trained_home):
    """A slow model summary holds up neither other users' calls nor the lock (ui.shared_tracker)."""
    import threading

    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from ui.shared_tracker import LockedTracker

    in_summary, release = threading.Event(), threading.Event()

    class SlowModel(FakeListChatModel):
        def _call(self, *args, **kwargs):
            in_summary.set()
            assert release.wait(60), "the test never released the summary"
            return super()._call(*args, **kwargs)

    tracker = LockedTracker(trained_home, summary_model=SlowModel(responses=["Mostly drama lately."]))
    user = "slow-summary-user"
    results: dict[str, object] = {}
    writer = threading.Thread(target=lambda: results.update(stored=tracker.record(
        [Event.new(user, "preference", attribute="genre:Horror", value=-1, hard=True, event_id="slow-rule")])))
    writer.start()
    try:
        assert in_summary.wait(60)
        # the event is stored and the lock free while the model writes the summary
        assert tracker.lock.acquire(timeout=5)
        tracker.lock.release()
        assert len(tracker.recommend("1", 5)) == 5
        assert [e.event_id for e in tracker.log.events_for(user)] == ["slow-rule"]
    finally:
        release.set()
        writer.join(60)
    assert results["stored"] == 1
    latest = tracker.log.latest_profile_version(user)["payload"]
    assert latest["summary_source"] in ("llm", "template") and latest["feedback"]
    tracker.close()


def test_leading_sentences_drop_repeats_and_a_cut_off_end():
    from tracking.summary import leading_sentences

    looping = "Likes drama. Lately more comedy. Likes drama. Lately more comedy. Likes dra"
    assert leading_sentences(looping, 600) == "Likes drama. Lately more comedy."
    assert leading_sentences("One sentence here. Another one that is long.", 20) == "One sentence here."
    assert leading_sentences("No full stop at all", 600) == ""


def test_a_genre_word_inside_a_title_is_no_genre_claim():
    vocabulary = MentionVocabulary(titles=("The Adventures of Robin Hood",), genres=("Adventure", "Drama"))
    facts = Facts(titles={"The Adventures of Robin Hood"}, genres={"Drama"})
    assert ungrounded("Mostly drama, such as The Adventures of Robin Hood.", facts, vocabulary) == []
    assert ungrounded("Mostly drama and adventures.", facts, vocabulary) == ["genre 'Adventure'"]


def test_the_model_rephrases_the_template_notes():
    facts = {"top_genres_long": {"Comedy": 0.5}, "top_genres_short": {"Horror": 0.4},
             "feedback_genres": ["more Comedy"], "representative": ["Toy Story"]}
    notes = template_summary(facts)
    assert "Asked for: more Comedy." in notes
    seen: list[str] = []

    class Recording(GenericFakeChatModel):
        def _generate(self, messages, *args, **kwargs):
            seen.append(messages[-1].content)
            return super()._generate(messages, *args, **kwargs)

    model = Recording(messages=iter([AIMessage("Long a comedy fan (Toy Story); lately horror.")]))
    text, source, _ = summarise(facts, VOCABULARY, model)
    assert (text, source) == ("Long a comedy fan (Toy Story); lately horror.", "llm")
    assert seen == [notes]


@pytest.mark.slow
def test_summary_benchmark_reports_each_user_with_a_real_model(trained_home):
    from evaluation.summaries import markdown, run

    result = run(trained_home, "llamacpp:smollm2-135m", n_users=2)
    assert len(result["outcomes"]) == 2
    for outcome in result["outcomes"]:
        assert outcome["source"] in ("llm", "template") and outcome["seconds"] > 0
        assert outcome["text"] == outcome["notes"] if outcome["source"] == "template" else not outcome["problems"]
        assert outcome["problems"] or outcome["source"] == "llm"
    text = markdown(result, "ml-100k")
    assert "| chat model | users | accepted |" in text and "| 2 |" in text
