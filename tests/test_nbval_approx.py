"""The declared tolerance for training metrics in cells tagged nbval-approx."""
from nbformat import NotebookNode

from tools.nbval_approx import close_enough, snap_to_reference


def test_numbers_within_tolerance_match():
    assert close_enough("loss 0.470, train acc 0.823", "loss 0.469, train acc 0.825")


def test_numbers_beyond_tolerance_or_changed_words_do_not_match():
    assert not close_enough("loss 0.500, train acc 0.823", "loss 0.469, train acc 0.823")
    assert not close_enough("loss 0.469, test acc 0.823", "loss 0.469, train acc 0.823")
    assert not close_enough("loss 0.469", "loss 0.469, train acc 0.823")


def test_snap_replaces_only_close_texts_after_normalising():
    test = [NotebookNode(output_type="stream", name="stdout", text="loss 0.4701, 3.1 sec\n")]
    ref = [NotebookNode(output_type="stream", name="stdout", text="loss 0.4699, 9.9 sec\n")]
    snap_to_reference(test, ref, normalize=lambda s: s.split(",")[0])
    assert test[0].text == ref[0].text
    far = [NotebookNode(output_type="stream", name="stdout", text="loss 0.9, 3.1 sec\n")]
    snap_to_reference(far, ref)
    assert far[0].text == "loss 0.9, 3.1 sec\n"
