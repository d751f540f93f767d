"""A progress bar for console commands whose total is known only as they run."""

from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def progress_bar(description: str):
    """A progress bar fed (done, total): backup, restore, retention."""
    with tqdm(total=1, desc=description, unit="step") as bar:

        def advance(done: int, total: int) -> None:
            bar.total = max(total, 1)
            bar.n = done
            bar.refresh()

        yield advance
