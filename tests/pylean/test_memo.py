from pylean.memo import BoundedMemo


def test_each_key_is_made_once_and_read_back():
    made = []
    memo = BoundedMemo(lambda key: made.append(key) or key * 2)
    assert [memo[3], memo[3], memo[4], memo[3]] == [6, 6, 8, 6]
    assert made == [3, 4]


def test_past_the_limit_the_memo_starts_over_and_stays_bounded():
    made = []
    memo = BoundedMemo(lambda key: made.append(key) or -key, limit=3)
    for key in (1, 2, 3, 4, 1):
        assert memo[key] == -key
    assert made == [1, 2, 3, 4, 1]  # 4 cleared the first three, so 1 is made again
    assert len(memo) == 2
