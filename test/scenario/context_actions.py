"""The actions on context variables and contexts (language.ts, Context variables): one
handler each, registered in interp.py's ACTIONS. context-actions.ts is the twin, key for
key. A run's variables, tokens and stored contexts live on the Interp as `cv_state`.
"""
import contextvars

from interp import action


class ContextState:
    def __init__(self, scenario):
        self.vars = [contextvars.ContextVar(f'v{i}', default=spec['default']) if 'default' in spec
                     else contextvars.ContextVar(f'v{i}')
                     for i, spec in enumerate(scenario.get('contextVars', []))]
        self.tokens = []
        self.contexts = []


def state(interp):
    """The run's state, its variables made at first use (making one has no visible effect)."""
    s = getattr(interp, 'cv_state', None)
    if s is None:
        s = interp.cv_state = ContextState(interp.scn)
    return s


def variable(interp, v, who):
    cvars = state(interp).vars
    return cvars[v] if interp.present(0 <= v < len(cvars), who, f'v{v}') else None


def ctx_name(c):
    return f'ctx{c}' if isinstance(c, int) else c


def context(interp, c, who):
    """The context `c` names, or None (logged missing)."""
    if c == 'copy':
        return contextvars.copy_context()
    if c == 'new':
        return contextvars.Context()
    contexts = state(interp).contexts
    return contexts[c] if interp.present(0 <= c < len(contexts), who, ctx_name(c)) else None


def store(interp, who, what, ctx):
    contexts = state(interp).contexts
    contexts.append(ctx)
    interp.log(who, f'{what} -> ctx{len(contexts) - 1}')


@action('cvSet')
def action_cv_set(interp, frame, op):
    cv = variable(interp, op[1], frame.who)
    if cv is None:
        return
    tokens = state(interp).tokens
    tokens.append(cv.set(op[2]))
    interp.log(frame.who, f'cvSet v{op[1]} {op[2]!r} -> k{len(tokens) - 1}')


@action('cvGet')
def action_cv_get(interp, frame, op):
    cv = variable(interp, op[1], frame.who)
    if cv is None:
        return
    try:
        shown = cv.get()
    except LookupError as e:
        interp.log(frame.who, f'cvGet v{op[1]} -> {e!r}')
        return
    interp.log(frame.who, f'cvGet v{op[1]} -> {shown!r}')


@action('cvReset')
def action_cv_reset(interp, frame, op):
    cv = variable(interp, op[1], frame.who)
    tokens = state(interp).tokens
    if cv is None or not interp.present(0 <= op[2] < len(tokens), frame.who, f'k{op[2]}'):
        return
    try:
        cv.reset(tokens[op[2]])
    except (RuntimeError, ValueError) as e:
        interp.log(frame.who, f'cvReset v{op[1]} k{op[2]} -> {e!r}')
        return
    interp.log(frame.who, f'cvReset v{op[1]} k{op[2]}')


@action('copyContext')
def action_copy_context(interp, frame, op):
    store(interp, frame.who, 'copyContext', contextvars.copy_context())


@action('taskContext')
def action_task_context(interp, frame, op):
    found, task = interp.resolve_existing(op[1], frame.who, ('self', 't'))
    if found:
        store(interp, frame.who, f'taskContext {op[1]}', task.get_context())


@action('handleContext')
def action_handle_context(interp, frame, op):
    if interp.present(0 <= op[1] < len(interp.handles), frame.who, f'h{op[1]}'):
        store(interp, frame.who, f'handleContext h{op[1]}', interp.handles[op[1]].get_context())


@action('ctxGet')
def action_ctx_get(interp, frame, op):
    ctx = context(interp, op[1], frame.who)
    cv = None if ctx is None else variable(interp, op[2], frame.who)
    if cv is not None:
        shown = repr(ctx[cv]) if cv in ctx else 'unset'
        interp.log(frame.who, f'ctxGet {ctx_name(op[1])} v{op[2]} -> {shown}')


@action('spawnIn')
def action_spawn_in(interp, frame, op):
    ctx = context(interp, op[3], frame.who)
    if ctx is not None:
        interp.spawn(op[0], op[1], op[2], frame.who, interp.loop, ctx)


@action('callSoonIn')
def action_call_soon_in(interp, frame, op):
    ctx = context(interp, op[2], frame.who)
    if ctx is not None:
        interp.schedule_callback(op[0], op[1], frame.who, lambda fn: interp.loop.call_soon(fn, context=ctx))


@action('ctxRun')
def action_ctx_run(interp, frame, op):
    ctx = context(interp, op[1], frame.who)
    if ctx is None:
        return
    interp.log(frame.who, f'ctxRun {ctx_name(op[1])}')

    def body():
        for sub in op[2]:
            interp.action(sub, frame)
    ctx.run(body)
    interp.log(frame.who, f'ctxRun {ctx_name(op[1])} end')
