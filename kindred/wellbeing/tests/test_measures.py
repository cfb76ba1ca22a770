"""Scoring and bands of every measure against worked examples; invalid answers are refused kindly."""

from __future__ import annotations

import pytest

from kindred.wellbeing.measures import MEASURES, InvalidAnswers, score


def test_ons4_is_reported_per_question_with_the_ons_thresholds():
    result = score("ons4", {"life_satisfaction": 7, "worthwhile": 9, "happiness": 4, "anxiety": 6})
    assert result.scores == {"life_satisfaction": 7, "worthwhile": 9, "happiness": 4, "anxiety": 6}
    assert result.total is None  # never added up
    assert result.bands == {
        "life_satisfaction": "High",
        "worthwhile": "Very high",
        "happiness": "Low",
        "anxiety": "High",
    }


@pytest.mark.parametrize(
    ("value", "positive", "anxiety"),
    [
        (0, "Low", "Very low"),
        (1, "Low", "Very low"),
        (2, "Low", "Low"),
        (3, "Low", "Low"),
        (4, "Low", "Medium"),
        (5, "Medium", "Medium"),
        (6, "Medium", "High"),
        (7, "High", "High"),
        (8, "High", "High"),
        (9, "Very high", "High"),
        (10, "Very high", "High"),
    ],
)
def test_ons4_band_boundaries(value, positive, anxiety):
    result = score("ons4", [value, value, value, value])
    assert result.bands["life_satisfaction"] == result.bands["worthwhile"] == result.bands["happiness"] == positive
    assert result.bands["anxiety"] == anxiety


@pytest.mark.parametrize(("answers", "total"), [([1, 1, 1], 3), ([2, 1, 3], 6), ([3, 3, 3], 9), (["2", "2", "1"], 5)])
def test_ucla3_totals_from_3_to_9_with_no_invented_bands(answers, total):
    result = score("ucla3", answers)
    assert result.total == total
    assert result.bands == {"total": ""}
    assert result.answers == dict(
        zip(["companionship", "left_out", "isolated"], [int(a) for a in answers], strict=True)
    )


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "Minimal"),
        ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "Minimal"),
        ([1, 1, 2, 1, 0, 0, 0, 0, 0], 5, "Mild"),
        ([1, 1, 2, 1, 0, 1, 0, 0, 0], 6, "Mild"),
        ([1, 1, 1, 1, 1, 1, 1, 1, 1], 9, "Mild"),
        ([2, 2, 2, 1, 1, 1, 1, 0, 0], 10, "Moderate"),
        ([2, 2, 2, 2, 2, 2, 1, 1, 0], 14, "Moderate"),
        ([2, 2, 2, 2, 2, 2, 2, 1, 0], 15, "Moderately severe"),
        ([3, 3, 3, 2, 2, 2, 2, 2, 0], 19, "Moderately severe"),
        ([3, 3, 3, 3, 2, 2, 2, 2, 0], 20, "Severe"),
        ([3, 3, 3, 3, 3, 3, 3, 3, 3], 27, "Severe"),
    ],
)
def test_phq9_totals_and_severity(answers, total, band):
    result = score("phq9", answers)
    assert (result.total, result.bands["total"]) == (total, band)
    assert result.self_harm is (answers[8] > 0)


def test_phq9_self_harm_item_is_question_nine():
    assert score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1]).self_harm is True
    assert score("phq9", [3, 3, 3, 3, 3, 3, 3, 3, 0]).self_harm is False
    assert (
        MEASURES["phq9"].items[8].text
        == "Thoughts that you would be better off dead or of hurting yourself in some way"
    )


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ([0] * 7, 0, "Minimal"),
        ([1, 1, 1, 1, 0, 0, 0], 4, "Minimal"),
        ([1, 1, 1, 1, 1, 0, 0], 5, "Mild"),
        ([2, 2, 1, 1, 1, 1, 1], 9, "Mild"),
        ([2, 2, 1, 1, 1, 1, 2], 10, "Moderate"),
        ([2, 2, 2, 2, 2, 2, 2], 14, "Moderate"),
        ([3, 2, 2, 2, 2, 2, 2], 15, "Severe"),
        ([3] * 7, 21, "Severe"),
    ],
)
def test_gad7_totals_and_severity(answers, total, band):
    result = score("gad7", answers)
    assert (result.total, result.bands["total"]) == (total, band)
    assert result.self_harm is False


@pytest.mark.parametrize(
    ("code", "answers", "message"),
    [
        ("ons4", [7, 7, 7, 11], "Question 4 needs an answer from 0 to 10"),
        ("ons4", [7, 7, -1, 5], "Question 3 needs an answer from 0 to 10"),
        ("ucla3", [0, 1, 1], "Question 1 needs an answer from 1 to 3"),
        ("phq9", [0, 0, 0, 0, 4, 0, 0, 0, 0], "Question 5 needs an answer from 0 to 3"),
        ("gad7", {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1, "q6": 1}, "Please answer question 7"),
        ("gad7", [1, 1, 1], "Please answer all 7 questions"),
        ("ucla3", {"companionship": 1, "left_out": "", "isolated": 2}, "Please answer question 2"),
        ("ucla3", ["often", 1, 1], "Question 1 needs a whole number from 1 to 3"),
        ("ons4", [7.5, 7, 7, 7], "Question 1 needs a whole number"),
        ("ons4", [True, 7, 7, 7], "Question 1 needs a whole number"),
        ("ucla3", {"companionship": 1, "left_out": 1, "isolated": 1, "extra": 1}, "extra isn't one of the questions"),
        ("ucla3", "123", "We couldn't read those answers"),
        ("nope", [1], "We don't know that check-in"),
    ],
)
def test_invalid_answers_are_refused_with_a_kind_message(code, answers, message):
    with pytest.raises(InvalidAnswers) as error:
        score(code, answers)
    assert message in str(error.value)


def test_published_wording():
    ons = MEASURES["ons4"]
    assert ons.items[0].text == "Overall, how satisfied are you with your life nowadays?"
    assert [label for _, label in MEASURES["ucla3"].options] == ["Hardly ever", "Some of the time", "Often"]
    assert MEASURES["gad7"].items[0].text == "Feeling nervous, anxious or on edge"
    assert [v for v, _ in MEASURES["phq9"].options] == [0, 1, 2, 3]


@pytest.mark.parametrize("odd", ["\u00b3", "\u0663", "+2", "1e0", " ", "-"])
def test_digits_that_are_not_plain_whole_numbers_are_refused_not_crashed_on(odd):
    with pytest.raises(InvalidAnswers) as error:
        score("ucla3", [odd, 1, 1])
    assert "Question 1" in str(error.value)


def test_ucla3_preamble_is_the_published_one():
    assert MEASURES["ucla3"].preamble == (
        "The next questions are about how you feel about different aspects of your life. For each one, tell me how "
        "often you feel that way."
    )
