from pylean.memo import BoundedMemo, ListMemo


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


def test_a_list_is_remembered_while_it_keeps_its_length():
    made = []
    memo = ListMemo(lambda values: made.append(list(values)) or sum(values))
    first, equal = [1, 2], [1, 2]
    assert [memo(first), memo(first), memo(equal)] == [3, 3, 3]
    assert made == [[1, 2], [1, 2]]  # another list with the same items is its own entry
    first.append(4)  # a subscription added: asked again
    assert memo(first) == 7
    assert made[-1] == [1, 2, 4]


def test_a_list_memo_is_bounded_and_answers_each_new_list_anew():
    memo = ListMemo(len, limit=2)
    for n in range(5):
        values = [0] * n  # the caller lets go of each list: only the memo (until it starts over) keeps it
        assert memo(values) == n
    assert len(memo._known) <= 2
