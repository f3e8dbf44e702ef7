// osintlab-answers: the front-end half of the notebook's answer forms (labs/forms.py).
//
// A lab's answer form runs in the kernel. When the trainee changes it, the kernel sends
// {op: "write", grade_id, source, request} on the comm target "osintlab.answers"; this plugin
// finds the notebook cell whose nbgrader metadata has that grade_id and replaces its source,
// so the saved (and submitted) notebook holds the answer as Python. {op: "read"} returns the
// cell's current source, so a form can start from what the trainee typed. Every request gets
// one reply: {op: "source" | "written" | "missing", grade_id, request}.
import { INotebookTracker } from '@jupyterlab/notebook';

const TARGET = 'osintlab.answers';

function findCell(panel, gradeId) {
  const cells = panel.content.model ? panel.content.model.cells : null;
  if (!cells) {
    return null;
  }
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    const meta = cell.getMetadata('nbgrader');
    if (meta && meta.grade_id === gradeId) {
      return cell;
    }
  }
  return null;
}

function handle(panel, comm, data) {
  const reply = { grade_id: data.grade_id, request: data.request };
  const cell = findCell(panel, data.grade_id);
  if (!cell) {
    comm.send({ ...reply, op: 'missing' });
    return;
  }
  if (data.op === 'write' && typeof data.source === 'string') {
    cell.sharedModel.setSource(data.source);
    comm.send({ ...reply, op: 'written' });
  } else {
    comm.send({ ...reply, op: 'source', source: cell.sharedModel.getSource() });
  }
}

function connect(panel, kernel) {
  if (!kernel) {
    return;
  }
  kernel.registerCommTarget(TARGET, comm => {
    comm.onMsg = msg => handle(panel, comm, msg.content.data || {});
  });
}

const plugin = {
  id: 'osintlab-answers:plugin',
  description: 'Writes answers from osintlab answer forms into nbgrader answer cells.',
  autoStart: true,
  requires: [INotebookTracker],
  activate: (app, tracker) => {
    const watch = panel => {
      const context = panel.sessionContext;
      const hook = () => connect(panel, context.session ? context.session.kernel : null);
      context.kernelChanged.connect(hook);
      context.ready.then(hook);
    };
    tracker.forEach(watch);
    tracker.widgetAdded.connect((_, panel) => watch(panel));
  }
};

export default plugin;
