"""The pack API for mutation testing: the families of mutants a pack's mutants.py lists, and the tools to write its own.

A pack's mutants.py lists OPERATORS: its own families first (most specific), then GENERIC. A family is a
function `family(node, site)` that looks at one node of an answer and returns the rewrites it admits
(`Rewrite`: a function from a deep copy of the node to its replacement); `site` says where the node is
(the answer's name, its function, the node's parents). The small AST tools below write families.
"""

from autograder.mutants.families import (BINOPS, GENERIC, Rewrite, Site, calls, constant, dotted, drop_abs,
                                         drop_keyword, drop_method, drop_operand, drop_root, drop_square, expr,
                                         fill, first_assignment, flip_bool, is_method, keyword, mean_sum,
                                         module_function, move_root, move_square, norm_p, num, number, pow_with,
                                         public_values, replace_body, set_keyword, statement_index, swap_binop,
                                         swap_dim, walk)

__all__ = ["BINOPS", "GENERIC", "Rewrite", "Site", "calls", "constant", "dotted", "drop_abs", "drop_keyword",
           "drop_method", "drop_operand", "drop_root", "drop_square", "expr", "fill", "first_assignment", "flip_bool",
           "is_method", "keyword", "mean_sum", "module_function", "move_root", "move_square", "norm_p", "num",
           "number", "pow_with", "public_values", "replace_body", "set_keyword", "statement_index", "swap_binop",
           "swap_dim", "walk"]
