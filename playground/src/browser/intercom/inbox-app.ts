// The Countersign app in the inbox side panel: Intercom's half of the Canvas Kit conversation. It
// sends initialize when the teammate opens the app and submit when a component with a submit action
// is used (with every input value on the canvas and the canvas that was showing, whose stored_data
// travels back as Intercom does), and replaces the panel with each canvas that comes back.
import type { CanvasObject, SubmitResponse } from '@countersign/intercom-canvas';
import type { SubmitInput } from '../../intercom/intercom-requests';
import { answerFields, messageOf, type Relayed } from '../api';
import { formatTime, h, setData } from '../dom';
import { renderCanvas } from './canvas-renderer';
import { intercomApi } from './intercom-api';

const MAX_LOG = 30;

export type CanvasFlow = 'initialize' | 'submit';

function describeFailure(answer: Relayed): string {
  const { error } = answerFields(answer.body);
  if (answer.status === 0) return 'Countersign could not be reached.';
  if (error) return `${error.code}: ${error.message}`;
  if (answer.status === 200) return 'The answer holds no canvas.';
  return typeof answer.body === 'string' ? answer.body.slice(0, 200) : 'Intercom would show an error in the panel.';
}

export interface InboxAppNodes {
  panel: HTMLElement;
  status: HTMLElement;
  json: HTMLElement;
  log: HTMLElement;
  onAnswered?: (flow: CanvasFlow) => void;
}

export interface InboxApp {
  /** Intercom's initialize: the teammate opened the app on this conversation. */
  initialize(): Promise<void>;
  /** Initialize again (as when the teammate comes back to the conversation), if the app is open. */
  refresh(): Promise<void>;
  /** How many canvases were shown so far: tells whether the panel changed since some moment. */
  renders(): number;
  /** The canvas showing now (for tests and curious developers). */
  currentCanvas(): CanvasObject | null;
}

export function createInboxApp({ panel, status, json, log, onAnswered }: InboxAppNodes): InboxApp {
  let canvas: CanvasObject | null = null;
  let busy = false;
  let renders = 0;
  let answers = 0;

  const setBusy = (value: boolean) => {
    busy = value;
    panel.dataset.busy = String(value);
    panel.setAttribute('aria-busy', String(value));
  };
  setBusy(false);

  const setStatus = (text: string, data: Record<string, string>) => {
    status.textContent = text;
    setData(status, data);
  };

  const record = (flow: CanvasFlow, componentId: string, httpStatus: number | 'error') => {
    log.prepend(h('li', { data: { flow, httpStatus: String(httpStatus) } }, [
      h('span', { className: 'muted', text: `${formatTime(new Date().toISOString())} ` }),
      h('strong', { text: flow }),
      componentId ? h('code', { text: ` ${componentId}` }) : null,
      h('span', { text: ` → HTTP ${httpStatus}` }),
    ]));
    while (log.childElementCount > MAX_LOG) log.lastElementChild?.remove();
  };

  function show(next: CanvasObject): void {
    canvas = next;
    renderCanvas(panel, next, {
      onSubmit: (componentId, inputValues) => {
        void send('submit', {
          component_id: componentId,
          input_values: inputValues,
          current_canvas: canvas,
          stored_data: canvas?.stored_data ?? null,
        });
      },
      onNotice: (message) => setStatus(message, { state: 'notice' }),
    });
    renders += 1;
    panel.dataset.renders = String(renders);
    json.textContent = JSON.stringify(next, null, 2);
  }

  async function send(flow: CanvasFlow, request: SubmitInput | null): Promise<void> {
    if (busy) return;
    setBusy(true);
    const componentId = request?.component_id ?? '';
    try {
      const answer = flow === 'initialize' || !request ? await intercomApi.initialize() : await intercomApi.submit(request);
      record(flow, componentId, answer.status);
      // A canvas answer (an error answer has the error shape instead).
      const body = answerFields<SubmitResponse>(answer.body);
      const next = body.canvas;
      if (answer.status === 200 && next && typeof next === 'object') {
        show(next);
        const completed = body.event?.type === 'completed' ? ' · the app reported completed' : '';
        setStatus(`${flow}${componentId ? ` (${componentId})` : ''} → HTTP ${answer.status}${completed}`, { state: 'ok', httpStatus: String(answer.status), flow });
      } else {
        setStatus(`${flow} → HTTP ${answer.status}: ${describeFailure(answer)}`, { state: 'error', httpStatus: String(answer.status), flow });
      }
    } catch (error) {
      record(flow, componentId, 'error');
      setStatus(`${flow} failed: ${messageOf(error)}`, { state: 'error', flow });
    } finally {
      answers += 1;
      panel.dataset.answers = String(answers);
      setBusy(false);
      onAnswered?.(flow);
    }
  }

  return {
    initialize: () => send('initialize', null),
    refresh: () => (canvas && !busy ? send('initialize', null) : Promise.resolve()),
    renders: () => renders,
    currentCanvas: () => canvas,
  };
}
