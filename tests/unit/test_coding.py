"""Inter-coder agreement (lesson 3 coding activity), checked against hand computations."""

import math

import pandas as pd
import pytest

from defection import coding

# Hand-computed example (worked out on paper):
# A = moral moral exit family moral ; B = moral exit exit family moral
# observed agreement 4/5 = 0.8
# A uses moral 3, exit 1, family 1; B uses moral 2, exit 2, family 1
# chance agreement (3*2 + 1*2 + 1*1) / 25 = 9/25 = 0.36
# kappa = (0.8 - 0.36) / (1 - 0.36) = 0.44 / 0.64 = 0.6875
A = ["moral", "moral", "exit", "family", "moral"]
B = ["moral", "exit", "exit", "family", "moral"]


def test_hand_computed_example():
    assert coding.agreement(A, B) == pytest.approx(0.8)
    assert coding.chance_agreement(A, B) == pytest.approx(0.36)
    assert coding.cohens_kappa(A, B) == pytest.approx(0.6875)


def test_second_hand_example_two_by_two():
    # 10 items: both "yes" 4, both "no" 3, A yes/B no 2, A no/B yes 1
    a = ["y"] * 4 + ["n"] * 3 + ["y"] * 2 + ["n"]
    b = ["y"] * 4 + ["n"] * 3 + ["n"] * 2 + ["y"]
    # p_o = 0.7; A: y 6 n 4; B: y 5 n 5; p_e = (30 + 20) / 100 = 0.5; kappa = 0.4
    assert coding.cohens_kappa(a, b) == pytest.approx(0.4)


def test_perfect_and_chance_and_worse():
    assert coding.cohens_kappa(A, A) == pytest.approx(1.0)
    assert coding.cohens_kappa(["a", "b", "a", "b"], ["a", "b", "b", "a"]) == pytest.approx(0.0)
    assert coding.cohens_kappa(["a", "b"], ["b", "a"]) < 0


def test_symmetry():
    assert coding.cohens_kappa(A, B) == pytest.approx(coding.cohens_kappa(B, A))


def test_identical_constant_codings():
    assert coding.cohens_kappa(["x"] * 4, ["x"] * 4) == 1.0
    assert coding.agreement(["x"] * 4, ["x"] * 4) == 1.0
    # constant but different: no agreement at all, no chance agreement either
    assert coding.cohens_kappa(["x"] * 3, ["y"] * 3) == 0.0


def test_empty_input_raises():
    with pytest.raises(ValueError, match="empty"):
        coding.cohens_kappa([], [])
    with pytest.raises(ValueError, match="empty"):
        coding.agreement({}, {})


def test_length_and_key_mismatch_raise():
    with pytest.raises(ValueError, match="different lengths"):
        coding.agreement(["a"], ["a", "b"])
    with pytest.raises(ValueError, match="different items"):
        coding.cohens_kappa({"s1": "a", "s2": "b"}, {"s1": "a", "s3": "b"})
    with pytest.raises(ValueError, match="both codings as dicts"):
        coding.agreement({"s1": "a"}, ["a"])


def test_missing_code_raises():
    with pytest.raises(ValueError, match="no code yet"):
        coding.cohens_kappa(["a", ...], ["a", "b"])
    with pytest.raises(ValueError, match="no code yet"):
        coding.agreement(["a", None], ["a", "b"])


def test_dicts_matched_by_key_not_order():
    student = {"s1": "moral", "s2": "exit", "s3": "family"}
    reference = {"s3": "family", "s1": "moral", "s2": "moral"}
    assert coding.agreement(student, reference) == pytest.approx(2 / 3)
    table = coding.compare(student, reference)
    assert list(table["same"]) == [True, False, True]
    assert list(table["reference_code"]) == ["moral", "moral", "family"]


def test_series_input():
    assert coding.cohens_kappa(pd.Series(A), pd.Series(B)) == pytest.approx(0.6875)


@pytest.mark.parametrize(
    "k,label",
    [(-0.2, "poor"), (0.0, "slight"), (0.15, "slight"), (0.3, "fair"), (0.5, "moderate"),
     (0.6875, "substantial"), (0.9, "almost perfect"), (1.0, "almost perfect")],
)
def test_interpret_kappa(k, label):
    assert coding.interpret_kappa(k).startswith(label)


def test_report_text():
    text = coding.report(A, B)
    assert "80%" in text and "36%" in text and "0.69" in text and "substantial" in text
    assert not math.isnan(coding.cohens_kappa(A, B))


def _statements():
    return pd.DataFrame(
        {"statement_id": ["s1", "s2", "s3"], "text": ["a", "b", "c"],
         "reference_code": pd.Categorical(["moral", "exit_options", "moral"])}
    )


def test_reference_for_orders_by_student_keys_and_checks_codes():
    codebook = pd.DataFrame({"code": ["moral", "exit_options", "economic_ties"]})
    ref = coding.reference_for({"s3": "economic_ties", "s1": "moral"}, _statements(), codebook)
    assert ref == {"s3": "moral", "s1": "moral"} and list(ref) == ["s3", "s1"]
    with pytest.raises(ValueError, match="not codes of the codebook"):
        coding.reference_for({"s1": "morale"}, _statements(), codebook)
    with pytest.raises(ValueError, match="no statement"):
        coding.reference_for({"s9": "moral"}, _statements())
