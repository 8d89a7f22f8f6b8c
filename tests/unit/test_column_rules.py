"""The declared column rules of models/column_rules.py for JSON text columns: objects, lists, and the case
records' columns declared as lists (an interview's questions, officer lists)."""

from __future__ import annotations

from models.column_rules import JsonText, json_problem, json_rule


def test_a_list_column_takes_a_list_and_refuses_an_object() -> None:
    rule = JsonText(1000, array=True)
    assert json_problem('[["问", "答"]]', rule) is None
    assert json_problem('{"q": "问"}', rule) == "应为 JSON 列表"


def test_an_object_column_refuses_a_list() -> None:
    rule = JsonText(1000)
    assert json_problem('{"a": 1}', rule) is None
    assert json_problem("[1, 2]", rule) == "应为 JSON 对象"


def test_the_case_records_declare_their_json_columns() -> None:
    qa = json_rule("case_interview", "qa")
    content = json_rule("case_record", "content")
    assert qa is not None and qa.array
    assert content is not None and not content.array
