"""Imported by the layout workers' fork server before it forks them (see `layout.schedule.Workers`):
WeasyPrint is imported and warmed up once, in parallel with the main process reading the issue,
and every worker starts with it ready and shared."""

from typeset.layout.worker import warm_up

warm_up()
