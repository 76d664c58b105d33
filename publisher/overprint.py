"""Black overprints in the print shop's PDF.

Text and rules in 100 % K are printed over what lies beneath them (overprint) instead of
cutting it out (knockout): black type on a tinted box or a figure's colour then shows no
white hairline where the plates do not quite register. Most RIPs force this for 100 % K;
the file says so itself, so that the proof is what the press prints.

The content streams of every page and form are read with pikepdf and given a graphics
state after each change of colour: overprint on (``op``/``OP`` with ``OPM 1``, which in
DeviceCMYK keeps only the plates the object leaves at zero) while the fill or stroke
colour is 0 0 0 1, off otherwise. Any other colour, white reversed type and the
registration colour of the crop marks among them, keeps knocking out, and so do images
and shadings, whatever colour is current when they are drawn.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

import pikepdf

BLACK = (0.0, 0.0, 0.0, 1.0)
_FILL = {"k", "sc", "scn", "g", "rg"}
_STROKE = {"K", "SC", "SCN", "G", "RG"}
_IMPLIED = {"k": "/DeviceCMYK", "g": "/DeviceGray", "rg": "/DeviceRGB"}  # the space an operator sets


@dataclass(frozen=True)
class _State:
    fill_space: str = "/DeviceGray"
    stroke_space: str = "/DeviceGray"
    fill_black: bool = False
    stroke_black: bool = False
    applied: tuple[bool, bool] = (False, False)  # (op, OP) as last set in the stream

    @property
    def wanted(self) -> tuple[bool, bool]:
        return (self.fill_black, self.stroke_black)


def overprint_black(data: bytes) -> bytes:
    """The PDF ``data`` with overprint set for 100 % K fills and strokes (see above),
    written with a content-derived /ID so that equal input gives equal bytes."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        states = {
            (fill, stroke): pdf.make_indirect(
                pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, op=fill, OP=stroke, OPM=1)
            )
            for fill in (False, True)
            for stroke in (False, True)
        }
        done: set[tuple[int, int]] = set()
        for page in pdf.pages:
            _mend(pdf, page.obj, states, done)
            page.obj.Contents = pdf.make_stream(_rewritten(page.obj, states))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _name(pair: tuple[bool, bool]) -> pikepdf.Name:
    return pikepdf.Name(f"/OP{'k' if pair[0] else 'x'}{'k' if pair[1] else 'x'}")


def _mend(pdf: pikepdf.Pdf, holder: pikepdf.Object, states: dict, done: set) -> None:
    """Give ``holder`` (a page or a form) the overprint states in its resources, and
    rewrite the forms it draws, once each."""
    resources = holder.get("/Resources")
    if resources is None:
        resources = holder.Resources = pdf.make_indirect(pikepdf.Dictionary())
    if "/ExtGState" not in resources:
        resources.ExtGState = pikepdf.Dictionary()
    for pair, state in states.items():
        resources.ExtGState[_name(pair)] = state
    for _, xobject in (resources.get("/XObject") or {}).items():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in done:
            done.add(xobject.objgen)
            _mend(pdf, xobject, states, done)
            xobject.write(_rewritten(xobject, states))


def _rewritten(holder: pikepdf.Object, states: dict) -> bytes:
    """The content stream of ``holder`` with a state set wherever the overprint it needs changes."""
    resources = holder.get("/Resources") or pikepdf.Dictionary()
    images = {
        str(name)
        for name, xobject in (resources.get("/XObject") or {}).items()
        if xobject.get("/Subtype") == "/Image"
    }
    out: list = []
    stack: list[_State] = []
    state = _State()

    def apply(pair: tuple[bool, bool]) -> None:
        nonlocal state
        if state.applied != pair:
            out.append(([_name(pair)], pikepdf.Operator("gs")))
            state = replace(state, applied=pair)

    for operands, operator in pikepdf.parse_content_stream(holder):
        op = str(operator)
        if op == "q":
            stack.append(state)
        elif op == "Q" and stack:
            out.append((operands, operator))
            state = stack.pop()
            continue
        elif op == "sh" or (op == "Do" and operands and str(operands[0]) in images):
            apply((False, False))  # images and shadings knock out, whatever the colour
            out.append((operands, operator))
            apply(state.wanted)
            continue
        out.append((operands, operator))
        if op == "cs":
            space = str(operands[0])
            state = replace(state, fill_space=space, fill_black=space == "/DeviceCMYK")  # its initial colour is 0 0 0 1
        elif op == "CS":
            space = str(operands[0])
            state = replace(state, stroke_space=space, stroke_black=space == "/DeviceCMYK")
        elif op in _FILL:
            space = _IMPLIED.get(op, state.fill_space)
            state = replace(state, fill_space=space, fill_black=space == "/DeviceCMYK" and _black(operands))
        elif op in _STROKE:
            space = _IMPLIED.get(op.lower(), state.stroke_space)
            state = replace(state, stroke_space=space, stroke_black=space == "/DeviceCMYK" and _black(operands))
        else:
            continue
        apply(state.wanted)
    return pikepdf.unparse_content_stream(out)


def _black(operands) -> bool:
    """Whether the operands of a DeviceCMYK colour are 0 0 0 1 (a pattern's name is not)."""
    try:
        return len(operands) == 4 and tuple(round(float(v), 4) for v in operands) == BLACK
    except (TypeError, ValueError):
        return False
