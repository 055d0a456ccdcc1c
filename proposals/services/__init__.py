"""Every write of the proposals app, one function per business action, by concern:

- `recommendations`: a recommendation from its draft to the approved answer (create,
  edit, the workflow's actions, the answer draft, the Excel import);
- `publishing`: the public answer (publication, its schedule, readers' stars);
- `subscriptions`: readers' e-mail subscriptions to new answers.

Import the module you need (`from proposals.services import publishing`): nothing is
re-exported here.
"""
