"""The validated measures a person can check in with, scored and banded exactly as published.

Every measure here is free to use. The question wording is the published wording; the bands are the published
thresholds (each measure's docstring says where they come from). Nothing here touches the database: `score()`
takes the raw answers and either returns a `Result` or raises `InvalidAnswers` with a kind, plain message.

Sources
-------
ONS4  Office for National Statistics, "Personal well-being user guidance" and "Surveys using our four personal
      well-being questions" (ONS, 2018; updated 2023). Thresholds from the ONS's published "Personal well-being in
      the UK" bulletins: life satisfaction, worthwhile and happiness 0-4 low, 5-6 medium, 7-8 high, 9-10 very high;
      anxiety 0-1 very low, 2-3 low, 4-5 medium, 6-10 high.
UCLA3 Hughes M.E., Waite L.J., Hawkley L.C., Cacioppo J.T. (2004) "A short scale for measuring loneliness in large
      surveys: results from two population-based studies." Research on Aging 26(6):655-672. Three items, each
      1 hardly ever / 2 some of the time / 3 often; total 3-9, higher means lonelier. The ONS recommends it
      ("Measuring loneliness: guidance for use of the national indicators on surveys", ONS 2018). Neither Hughes
      et al. nor the ONS publish bands, and the cut-offs used in later studies differ, so Kindred reports the score
      only, with the reading "higher means lonelier".
PHQ-9 Kroenke K., Spitzer R.L., Williams J.B.W. (2001) "The PHQ-9: validity of a brief depression severity
      measure." J Gen Intern Med 16(9):606-613. Nine items 0-3, total 0-27; severity 0-4 minimal, 5-9 mild,
      10-14 moderate, 15-19 moderately severe, 20-27 severe. Item 9 asks about thoughts of self-harm.
GAD-7 Spitzer R.L., Kroenke K., Williams J.B.W., Löwe B. (2006) "A brief measure for assessing generalized anxiety
      disorder: the GAD-7." Arch Intern Med 166(10):1092-1097. Seven items 0-3, total 0-21; 0-4 minimal, 5-9 mild,
      10-14 moderate, 15-21 severe.
PHQ-9 and GAD-7 were developed by Drs Spitzer, Williams, Kroenke and colleagues with an educational grant from
Pfizer Inc.; no permission is required to reproduce, translate, display or distribute them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ONS4 = "ons4"
UCLA3 = "ucla3"
PHQ9 = "phq9"
GAD7 = "gad7"

# Measures everyone may use; the others only when one of the person's organisations enables them.
OPEN_MEASURES = (ONS4, UCLA3)
ORGANISATION_MEASURES = (PHQ9, GAD7)
ALL_MEASURES = (ONS4, UCLA3, PHQ9, GAD7)

PHQ9_SELF_HARM_ITEM = "q9"


class InvalidAnswers(ValueError):
    """The answers can't be scored. The message is kind and says what to change."""


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    # For ONS4 each question is reported on its own and has its own bands.
    short: str = ""


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    label: str


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    short_name: str
    citation: str
    preamble: str
    items: tuple[Item, ...]
    options: tuple[tuple[int, str], ...]  # (value, label) for each answer, lowest first
    totalled: bool  # ONS4 is never added up: each question is reported separately
    bands: tuple[Band, ...] = ()
    item_bands: Mapping[str, tuple[Band, ...]] = field(default_factory=dict)
    reading: str = ""  # how to read the number, in plain words
    restricted: bool = False  # only when an organisation enables it

    @property
    def minimum(self) -> int:
        return self.options[0][0]

    @property
    def maximum(self) -> int:
        return self.options[-1][0]

    @property
    def total_range(self) -> tuple[int, int]:
        return self.minimum * len(self.items), self.maximum * len(self.items)

    @property
    def series(self) -> tuple[tuple[str, str], ...]:
        """What a chart draws: one line per question for ONS4, the total for the others."""
        if self.totalled:
            return (("total", "Total score"),)
        return tuple((item.key, item.short) for item in self.items)

    @property
    def scale_max(self) -> int:
        return self.total_range[1] if self.totalled else self.maximum


@dataclass(frozen=True)
class Result:
    measure: str
    answers: dict[str, int]
    scores: dict[str, int]  # {"total": n} or, for ONS4, one score per question
    bands: dict[str, str]  # same keys as scores; empty string where no published band applies
    self_harm: bool = False

    @property
    def total(self) -> int | None:
        return self.scores.get("total")


def _band(value: int, bands: Sequence[Band]) -> str:
    for band in bands:
        if band.low <= value <= band.high:
            return band.label
    return ""


_ONS_POSITIVE_BANDS = (Band(0, 4, "Low"), Band(5, 6, "Medium"), Band(7, 8, "High"), Band(9, 10, "Very high"))
_ONS_ANXIETY_BANDS = (Band(0, 1, "Very low"), Band(2, 3, "Low"), Band(4, 5, "Medium"), Band(6, 10, "High"))
_ZERO_TO_TEN = tuple((n, str(n)) for n in range(11))
_PHQ_OPTIONS = ((0, "Not at all"), (1, "Several days"), (2, "More than half the days"), (3, "Nearly every day"))

MEASURES: dict[str, Measure] = {
    ONS4: Measure(
        code=ONS4,
        name="ONS personal well-being (ONS4)",
        short_name="Personal well-being",
        citation="Office for National Statistics, personal well-being questions (ONS4).",
        preamble=(
            "Next I would like to ask you four questions about your feelings on aspects of your life. There are no "
            "right or wrong answers. For each of these questions I'd like you to give an answer on a scale of 0 to "
            "10, where 0 is \u201cnot at all\u201d and 10 is \u201ccompletely\u201d."
        ),
        items=(
            Item("life_satisfaction", "Overall, how satisfied are you with your life nowadays?", "Life satisfaction"),
            Item(
                "worthwhile",
                "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
                "Worthwhile",
            ),
            Item("happiness", "Overall, how happy did you feel yesterday?", "Happiness"),
            Item(
                "anxiety",
                "On a scale where 0 is \u201cnot at all anxious\u201d and 10 is \u201ccompletely anxious\u201d, "
                "overall, how anxious did you feel yesterday?",
                "Anxiety",
            ),
        ),
        options=_ZERO_TO_TEN,
        totalled=False,
        item_bands={
            "life_satisfaction": _ONS_POSITIVE_BANDS,
            "worthwhile": _ONS_POSITIVE_BANDS,
            "happiness": _ONS_POSITIVE_BANDS,
            "anxiety": _ONS_ANXIETY_BANDS,
        },
        reading="Each question is on its own scale of 0 to 10. For anxiety, a lower number means less anxious.",
    ),
    UCLA3: Measure(
        code=UCLA3,
        name="Three-item loneliness scale (UCLA 3)",
        short_name="Loneliness",
        citation="Hughes, Waite, Hawkley & Cacioppo (2004), Research on Aging 26(6):655\u2013672.",
        preamble=(
            "The next questions are about how you feel about different aspects of your life. For each one, tell me "
            "how often you feel that way."
        ),
        items=(
            Item("companionship", "How often do you feel that you lack companionship?"),
            Item("left_out", "How often do you feel left out?"),
            Item("isolated", "How often do you feel isolated from others?"),
        ),
        options=((1, "Hardly ever"), (2, "Some of the time"), (3, "Often")),
        totalled=True,
        reading="The score goes from 3 to 9. A higher score means feeling lonelier.",
    ),
    PHQ9: Measure(
        code=PHQ9,
        name="Patient Health Questionnaire (PHQ-9)",
        short_name="PHQ-9",
        citation="Kroenke, Spitzer & Williams (2001), J Gen Intern Med 16(9):606\u2013613.",
        preamble="Over the last 2 weeks, how often have you been bothered by any of the following problems?",
        items=(
            Item("q1", "Little interest or pleasure in doing things"),
            Item("q2", "Feeling down, depressed, or hopeless"),
            Item("q3", "Trouble falling or staying asleep, or sleeping too much"),
            Item("q4", "Feeling tired or having little energy"),
            Item("q5", "Poor appetite or overeating"),
            Item(
                "q6",
                "Feeling bad about yourself \u2014 or that you are a failure or have let yourself or your family down",
            ),
            Item("q7", "Trouble concentrating on things, such as reading the newspaper or watching television"),
            Item(
                "q8",
                "Moving or speaking so slowly that other people could have noticed? Or the opposite \u2014 being so "
                "fidgety or restless that you have been moving around a lot more than usual",
            ),
            Item("q9", "Thoughts that you would be better off dead or of hurting yourself in some way"),
        ),
        options=_PHQ_OPTIONS,
        totalled=True,
        bands=(
            Band(0, 4, "Minimal"),
            Band(5, 9, "Mild"),
            Band(10, 14, "Moderate"),
            Band(15, 19, "Moderately severe"),
            Band(20, 27, "Severe"),
        ),
        reading="The score goes from 0 to 27. A higher score means more symptoms of depression.",
        restricted=True,
    ),
    GAD7: Measure(
        code=GAD7,
        name="Generalised Anxiety Disorder assessment (GAD-7)",
        short_name="GAD-7",
        citation="Spitzer, Kroenke, Williams & L\u00f6we (2006), Arch Intern Med 166(10):1092\u20131097.",
        preamble="Over the last 2 weeks, how often have you been bothered by the following problems?",
        items=(
            Item("q1", "Feeling nervous, anxious or on edge"),
            Item("q2", "Not being able to stop or control worrying"),
            Item("q3", "Worrying too much about different things"),
            Item("q4", "Trouble relaxing"),
            Item("q5", "Being so restless that it is hard to sit still"),
            Item("q6", "Becoming easily annoyed or irritable"),
            Item("q7", "Feeling afraid as if something awful might happen"),
        ),
        options=_PHQ_OPTIONS,
        totalled=True,
        bands=(Band(0, 4, "Minimal"), Band(5, 9, "Mild"), Band(10, 14, "Moderate"), Band(15, 21, "Severe")),
        reading="The score goes from 0 to 21. A higher score means more symptoms of anxiety.",
        restricted=True,
    ),
}


def get_measure(code: str) -> Measure:
    try:
        return MEASURES[code]
    except KeyError:
        raise InvalidAnswers("We don't know that check-in. Please choose one from the list.") from None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        # ASCII digits only: str.isdigit() also accepts characters such as "³" that int() refuses.
        digits = text[1:] if text.startswith("-") else text
        if digits and digits.isascii() and digits.isdigit():
            return int(text)
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def score(code: str, answers: Mapping[str, Any] | Sequence[Any]) -> Result:
    """Score one set of answers. `answers` maps item keys to values, or lists them in question order.

    Raises InvalidAnswers (nothing is worked out) when a question is missing, an answer is not a whole number,
    is out of range, or an unknown question is included.
    """
    measure = get_measure(code)
    keys = [item.key for item in measure.items]
    if isinstance(answers, Mapping):
        given = dict(answers)
    elif isinstance(answers, Sequence) and not isinstance(answers, str | bytes):
        if len(answers) != len(keys):
            raise InvalidAnswers(
                f"Please answer all {len(keys)} questions. Nothing has been saved yet, so you can try again."
            )
        given = dict(zip(keys, answers, strict=True))
    else:
        raise InvalidAnswers("We couldn't read those answers. Please answer each question and try again.")
    unknown = sorted(set(given) - set(keys))
    if unknown:
        raise InvalidAnswers(f"{', '.join(unknown)} isn't one of the questions in this check-in.")
    values: dict[str, int] = {}
    for number, key in enumerate(keys, start=1):
        raw = given.get(key)
        if raw is None or raw == "":
            raise InvalidAnswers(
                f"Please answer question {number}. Nothing has been saved yet, so you can pick up where you were."
            )
        value = _as_int(raw)
        if value is None:
            raise InvalidAnswers(f"Question {number} needs a whole number from {measure.minimum} to {measure.maximum}.")
        if not measure.minimum <= value <= measure.maximum:
            raise InvalidAnswers(
                f"Question {number} needs an answer from {measure.minimum} to {measure.maximum}; {value} is outside "
                "that range."
            )
        values[key] = value
    if measure.totalled:
        total = sum(values.values())
        scores = {"total": total}
        bands = {"total": _band(total, measure.bands)}
    else:
        scores = dict(values)
        bands = {key: _band(value, measure.item_bands.get(key, ())) for key, value in values.items()}
    self_harm = code == PHQ9 and values[PHQ9_SELF_HARM_ITEM] > 0
    return Result(measure=code, answers=values, scores=scores, bands=bands, self_harm=self_harm)


def band_for(code: str, key: str, value: int) -> str:
    measure = MEASURES[code]
    return _band(value, measure.bands if measure.totalled else measure.item_bands.get(key, ()))
