"""Async generators in scenarios (language.ts, "Async generators"): the generator bodies
(emit, and try/finally blocks that may emit), the step making generator objects and the
steps consuming them. agens.ts is the twin, handler for handler.

A generator body must `yield` in its own frame, so each body G<g> is compiled once into
an `async def G<g>(interp, label)` whose emit, try and finally steps are Python
statements; every other step runs through run_steps, as agens.ts's runGenSteps runs it.
"""
from actions import EXC
from interp import Frame, run_steps, step
from steps import CATCH

CATCH['GeneratorExit'] = GeneratorExit
CATCH['StopAsyncIteration'] = StopAsyncIteration


def _agens(interp):
    """The run's generator objects by label, and every one made: kept until the run ends,
    so that CPython never collects one (and runs its finalizer hook) while the loop runs."""
    if not hasattr(interp, 'agens'):
        interp.agens = {}
        interp.agens_made = []
    return interp.agens


def _agen_ref(interp, label, who):
    """The generator 'g:<label>', or None (logged missing)."""
    ag = _agens(interp).get(label)
    interp.present(ag is not None, who, f'g:{label}')
    return ag


# What the compiled bodies call.
def _emitted(interp, frame, value, sent):
    interp.log(frame.who, f'emit {value!r} -> {sent!r}')


def _caught(interp, frame, e):
    interp.log(frame.who, f'caught {e!r}')
    return frame._replace(caught=e)


def _finally(interp, frame):
    interp.log(frame.who, 'finally')


def _raised(interp, who, e):
    interp.log(who, f'raise {e!r}')


def _compile_steps(ops, depth, consts, lines, indent):
    """Append the statements of generator steps `ops` (frame f<depth>) to `lines`."""
    f = f'f{depth}'
    lines.append(f'{indent}pass')
    for op in ops:
        k = len(consts)
        if op[0] == 'emit':
            consts.append(op[1])
            lines.append(f'{indent}_emitted(interp, {f}, C[{k}], (yield C[{k}]))')
        elif op[0] == 'try':
            consts.append(CATCH[op[2]])
            lines.append(f'{indent}try:')
            _compile_steps(op[1], depth, consts, lines, indent + '    ')
            lines.append(f'{indent}except C[{k}] as e{depth}:')
            lines.append(f'{indent}    f{depth + 1} = _caught(interp, {f}, e{depth})')
            _compile_steps(op[3], depth + 1, consts, lines, indent + '    ')
        elif op[0] == 'finally':
            consts.append(None)
            lines.append(f'{indent}try:')
            _compile_steps(op[1], depth, consts, lines, indent + '    ')
            lines.append(f'{indent}finally:')
            lines.append(f'{indent}    _finally(interp, {f})')
            _compile_steps(op[2], depth, consts, lines, indent + '    ')
        else:
            consts.append([op])
            lines.append(f'{indent}if (await run_steps(interp, C[{k}], {f})) is not None:')
            lines.append(f'{indent}    return')


def _compile(g, body):
    """The async generator function G<g> of generator body `body`."""
    consts = []
    lines = [f'async def G{g}(interp, label):',
             '    f0 = Frame(label, [], None)',
             f"    interp.log(label, 'start G{g}')",
             '    try:']
    _compile_steps(body, 0, consts, lines, '        ')
    lines += ['    except BaseException as e:',
              '        _raised(interp, label, e)',
              '        raise',
              '    if False:',
              '        yield']
    namespace = {'C': consts, 'Frame': Frame, 'run_steps': run_steps, '_emitted': _emitted,
                 '_caught': _caught, '_finally': _finally, '_raised': _raised}
    exec('\n'.join(lines), namespace)
    return namespace[f'G{g}']


def _agen_function(interp, g):
    if not hasattr(interp, 'agen_functions'):
        interp.agen_functions = {}
    if g not in interp.agen_functions:
        interp.agen_functions[g] = _compile(g, interp.scn['agens'][g])
    return interp.agen_functions[g]


@step('agen')
async def step_agen(interp, frame, op):
    g, label = op[1], op[2]
    if not interp.present(0 <= g < len(interp.scn.get('agens', [])), frame.who, f'G{g}') or not interp.spend(frame.who, 'agen'):
        return None
    ag = _agen_function(interp, g)(interp, label)
    _agens(interp)[label] = ag
    interp.agens_made.append(ag)
    interp.log(frame.who, f'agen g:{label}')


@step('emit')
async def step_emit(interp, frame, op):
    # An emit outside a generator body's own blocks.
    interp.present(False, frame.who, 'emit')


@step('finally')
async def step_finally(interp, frame, op):
    try:
        returned = await run_steps(interp, op[1], frame)
    finally:
        interp.log(frame.who, 'finally')
        extra = await run_steps(interp, op[2], frame)
        if extra is not None:
            return extra
    return returned


@step('afor')
async def step_afor(interp, frame, op):
    label, body, break_after = op[1], op[2], op[3]
    ag = _agen_ref(interp, label, frame.who)
    if ag is None:
        return None
    n = 0
    async for item in ag:
        interp.log(frame.who, f'afor g:{label} -> {item!r}')
        returned = await run_steps(interp, body, frame)
        if returned is not None:
            return returned
        n += 1
        if break_after is not None and n >= break_after:
            interp.log(frame.who, f'afor g:{label} break')
            return None
    interp.log(frame.who, f'afor g:{label} end')


@step('anext')
async def step_anext(interp, frame, op):
    ag = _agen_ref(interp, op[1], frame.who)
    if ag is not None:
        r = await (anext(ag, op[3]) if op[2] else anext(ag))
        interp.log(frame.who, f'anext g:{op[1]} -> {r!r}')


@step('asend')
async def step_asend(interp, frame, op):
    ag = _agen_ref(interp, op[1], frame.who)
    if ag is not None:
        interp.log(frame.who, f'asend g:{op[1]} -> {await ag.asend(op[2])!r}')


@step('athrow')
async def step_athrow(interp, frame, op):
    ag = _agen_ref(interp, op[1], frame.who)
    if ag is not None:
        interp.log(frame.who, f'athrow g:{op[1]} -> {await ag.athrow(EXC[op[2]](op[3]))!r}')


@step('aclose')
async def step_aclose(interp, frame, op):
    ag = _agen_ref(interp, op[1], frame.who)
    if ag is not None:
        interp.log(frame.who, f'aclose g:{op[1]} -> {await ag.aclose()!r}')
