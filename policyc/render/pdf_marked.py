"""Rewrites each page's marked content to match the mended structure tree.

Content the tree no longer holds becomes `/Artifact <</Type /…>> BDC`; the rest is numbered
afresh, 0, 1, 2… in the order it is painted on its page, and the ParentTree (content back
to its element) is built again from the tree, so the two can never disagree.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

from policyc.render.pdf_tree import Artifacts, is_element, kids

BDC = Operator("BDC")


def _content_slots(root) -> dict[tuple[tuple[int, int], int], tuple]:
    """Where each (page, MCID) sits in the tree: (element, index in its /K)."""
    slots = {}
    stack = [root]
    seen = set()
    while stack:
        node = stack.pop()
        if node.objgen in seen:
            continue
        seen.add(node.objgen)
        page = node.get("/Pg")
        for index, kid in enumerate(kids(node)):
            if isinstance(kid, int):
                slots[(page.objgen, int(kid))] = (node, index)
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                slots[(kid.Pg.objgen, int(kid.MCID))] = (node, index)
            elif is_element(kid):
                stack.append(kid)
    return slots


def rewrite(pdf: pikepdf.Pdf, artifacts: Artifacts) -> None:
    """Marks artifacts in the content streams, renumbers the rest and rebuilds the ParentTree."""
    root = pdf.Root.StructTreeRoot
    slots = _content_slots(root)
    owners_by_page = []
    for page in pdf.pages:
        where = page.objgen
        operations = pikepdf.parse_content_stream(page)
        owners = []
        for position, (operands, operator) in enumerate(operations):
            if operator != BDC or len(operands) != 2 or not isinstance(operands[1], pikepdf.Dictionary):
                continue
            if "/MCID" not in operands[1]:
                continue
            mcid = int(operands[1].MCID)
            slot = slots.get((where, mcid))
            if slot is None:
                kind = artifacts.get((where, mcid))
                if kind is None:
                    raise RuntimeError(f"page {len(owners_by_page) + 1}: content {mcid} is neither in the tree nor furniture")
                operations[position] = pikepdf.ContentStreamInstruction(
                    [Name.Artifact, Dictionary(Type=Name("/" + kind))], BDC)
                continue
            element, index = slot
            new = len(owners)
            kid = element.K[index]
            if isinstance(kid, int):
                element.K[index] = new
            else:
                kid.MCID = new
            operations[position] = pikepdf.ContentStreamInstruction(
                [operands[0], Dictionary(MCID=new)], BDC)
            owners.append(element)
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))
        owners_by_page.append(owners)
    _parent_tree(pdf, root, owners_by_page)


def _parent_tree(pdf: pikepdf.Pdf, root, owners_by_page: list[list]) -> None:
    nums = Array()
    for number, (page, owners) in enumerate(zip(pdf.pages, owners_by_page)):
        page.StructParents = number
        nums.append(number)
        nums.append(Array(owners))
    key = len(owners_by_page)
    stack, seen = [root], set()
    found = []
    while stack:
        node = stack.pop()
        if node.objgen in seen:
            continue
        seen.add(node.objgen)
        for kid in kids(node):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                found.append((kid.Obj, node))
            elif is_element(kid):
                stack.append(kid)
    for annotation, element in sorted(found, key=lambda pair: pair[0].objgen):
        annotation.StructParent = key
        nums.append(key)
        nums.append(element)
        key += 1
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = key
