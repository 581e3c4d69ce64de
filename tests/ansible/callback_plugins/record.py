"""A stdout callback for the tests: one JSON document with every task's result
per host and the per-host stats (ansible-core 2.19 no longer ships a json
callback; ansible.posix's is not installed)."""

from __future__ import annotations

import json

from ansible.executor.stats import AggregateStats
from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "record"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plays: list[dict] = []

    def v2_playbook_on_play_start(self, play):
        self.plays.append({"name": play.get_name(), "tasks": []})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.plays[-1]["tasks"].append({"name": task.get_name(), "hosts": {}})

    def _record(self, result, **flags):
        data = json.loads(json.dumps(result._result, default=str))
        data.update(flags)
        self.plays[-1]["tasks"][-1]["hosts"][result._host.get_name()] = data

    def v2_runner_on_ok(self, result, **kwargs):
        self._record(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, failed=True)

    def v2_runner_on_skipped(self, result):
        self._record(result, skipped=True)

    def v2_runner_on_unreachable(self, result):
        self._record(result, unreachable=True)

    def v2_playbook_on_stats(self, stats: AggregateStats):
        summary = {h: stats.summarize(h) for h in sorted(stats.processed)}
        self._display.display(json.dumps({"plays": self.plays, "stats": summary}, default=str))
