"""SerialLocalExecutor: datatrove's LocalPipelineExecutor without its per-stage Manager process for one worker."""

import queue
import types

import datatrove.executor.local as _local
from datatrove.executor import LocalPipelineExecutor


class _InProcessManager:
    """What datatrove's one-worker path uses of a `multiprocess.Manager()`: a queue of local ranks."""

    def Queue(self) -> queue.Queue:  # noqa: N802 (the Manager method's name)
        return queue.Queue()

    def shutdown(self) -> None:
        pass


class _Multiprocess(types.SimpleNamespace):
    """`multiprocess` as `datatrove.executor.local` sees it during a one-worker run: Manager() in process."""

    def __getattr__(self, name: str):
        return getattr(self.module, name)

    def Manager(self) -> _InProcessManager:  # noqa: N802
        return _InProcessManager()


class SerialLocalExecutor(LocalPipelineExecutor):
    """With workers == 1 datatrove runs the tasks one after another in this process, but still starts a
    `multiprocess.Manager()` (a forked server process) per stage only to hand out local ranks through its queue
    (a `kocorpus run` has 11 stages; each fork copies the parent's page tables). Here that queue is an in-process
    `queue.Queue`; everything else is datatrove's run. Several workers: datatrove's run as is."""

    def run(self):
        if self.workers != 1:
            return super().run()
        original = _local.multiprocess
        _local.multiprocess = _Multiprocess(module=original)
        try:
            return super().run()
        finally:
            _local.multiprocess = original
