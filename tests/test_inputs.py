import io
import json

from claimcheck.inputs import iter_jsonl, iter_records, markdown_to_text, read_file, record_from_bytes


def test_markdown_keeps_headings_and_list_items_as_units():
    md = "# Title here\n\nSome *emphasis* and a [link](http://x.y).\n\n- item one\n- item **two**\n"
    assert markdown_to_text(md) == "Title here\n\nSome emphasis and a link.\n\nitem one\n\nitem two\n"


def test_html_main_text_extracted_without_navigation(tmp_path):
    p = tmp_path / "a.html"
    p.write_text("<html><body><nav><a href='/'>Home</a> | <a href='/s'>Subscribe now</a></nav><article>"
                 "<h1>Council votes</h1><p>The council voted 31-17 on Wednesday to approve the budget of "
                 "48 million pounds for next year, officials said.</p><p>The mayor, Ann Lee, said the vote "
                 "was a relief for the city and its 200,000 residents.</p></article>"
                 "<footer>Copyright 2025 Example News. Cookie settings.</footer></body></html>")
    r = read_file(p)
    assert r.error is None
    assert "voted 31-17" in r.text and "Ann Lee" in r.text
    assert "Subscribe now" not in r.text and "Cookie settings" not in r.text


def test_binary_file_is_an_error_record(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    r = read_file(p)
    assert r.error and "binary" in r.error and str(p) in r.error


def test_undecodable_bytes_replaced_and_reported():
    r = record_from_bytes(b"Caf\xe9 owner said prices rose 5%.", "f.txt")
    assert r.error is None
    assert "\ufffd" in r.text
    assert r.warnings and "undecodable" in r.warnings[0]


def test_jsonl_errors_name_file_and_line():
    data = (b'{"id": 1, "text": "Fine."}\n'
            b'{not json\n'
            b'\n'
            b'{"id": 3, "body": "no text field"}\n'
            b'[1, 2]\n'
            b'{"id": 5, "text": 7}\n'
            b'{"text": "no id"}\n')
    recs = list(iter_jsonl(io.BytesIO(data), "in.jsonl"))
    assert len(recs) == 6  # one per non-blank line
    assert recs[0].error is None and recs[0].ident == 1
    assert "in.jsonl:2" in recs[1].error and "malformed" in recs[1].error
    assert "in.jsonl:4" in recs[2].error and "'text'" in recs[2].error and recs[2].ident == 3
    assert "in.jsonl:5" in recs[3].error
    assert "in.jsonl:6" in recs[4].error
    assert recs[5].error is None and recs[5].ident == "in.jsonl:7"


def test_custom_fields():
    recs = list(iter_jsonl(io.BytesIO(b'{"key": "a", "body": "Hello."}\n'), "x", text_field="body",
                           id_field="key"))
    assert recs[0].ident == "a" and recs[0].text == "Hello."


def test_folders_recursive_sorted_and_several_paths(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.md").write_text("# Two\n")
    (tmp_path / "a.txt").write_text("One.")
    (tmp_path / "skip.bin").write_bytes(b"\x00")
    (tmp_path / ".hidden.txt").write_text("no")
    other = tmp_path / "c.html"
    other.write_text("<p>Three.</p>")
    recs = list(iter_records([str(tmp_path / "a.txt"), str(tmp_path / "b"), str(other)]))
    assert [r.ident for r in recs] == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "two.md"), str(other)]


def test_stdin_text_and_jsonl():
    recs = list(iter_records(["-"], stdin=io.BytesIO(b"Plain text.")))
    assert recs[0].ident == "-" and recs[0].text == "Plain text."
    recs = list(iter_records(["-"], jsonl=True, stdin=io.BytesIO(json.dumps({"id": "z", "text": "T."}).encode())))
    assert recs[0].ident == "z"
