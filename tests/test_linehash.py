"""tilint computes GitHub's primaryLocationLineHash exactly: the expected values are those of the
upload action's own tests (github/codeql-action, src/fingerprints.test.ts)."""

from __future__ import annotations

import pytest

from tilint.formatters.linehash import line_hashes

CASES = [
    ("", ["c129715d7a2bc9a3:1"]),
    (" a\nb\n  \t\tc\n d", ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"]),
    (
        " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
        ["8b7cf3e952e7aeb2:1", "b1ae1287ec4718d9:1", "bff680108adb0fcc:1", "c6805c5e1288b612:1",
         "b86d3392aea1be30:1", "e6ceba753e1a442:1"],
    ),
    (
        "x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n",
        ["e54938cc54b302f1:1", "bb609acbe9138d60:1", "1131fd5871777f34:1", "5c482a0f8b35ea28:1",
         "54517377da7028d2:1", "2c644846cb18d53e:1", "f1b89f20de0d133:1", "c129715d7a2bc9a3:1"],
    ),
]
ENDINGS = [
    " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
    " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
    " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
    " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
]
SAME_FOR_EVERY_ENDING = ["e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1",
                         "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1"]


def in_order(hashes: dict[int, str]) -> list[str]:
    assert sorted(hashes) == list(range(1, len(hashes) + 1))
    return [hashes[n] for n in sorted(hashes)]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_line_hashes_match_githubs(text, expected):
    assert in_order(line_hashes(text.encode("utf-8"))) == expected


@pytest.mark.parametrize("text", ENDINGS)
def test_every_kind_of_line_ending_hashes_the_same(text):
    assert in_order(line_hashes(text.encode("utf-8"))) == SAME_FOR_EVERY_ENDING


def test_identical_lines_are_counted_apart():
    hashes = in_order(line_hashes(("Lorem ipsum dolor sit amet.\n" * 10).encode()))
    assert hashes[:6] == [f"a7f2ff13bc495cf2:{n}" for n in range(1, 7)]
    assert hashes[6:] == ["a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1", "55ec222b86bcae53:1", "cc97dc7b1d7d8f7b:1",
                          "c129715d7a2bc9a3:1"]
