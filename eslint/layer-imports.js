// The layer rule, written as allow-lists in the manner of VS Code's code-layering rule
// (.eslint-plugin-local/code-layering.ts): each layer names what it may import (folders of this repository,
// packages, Node's built-ins, and for a package the names it may take from it); everything else is refused.
// A new dependency or a new arrow between layers is therefore a deliberate edit of eslint.config.js, never
// an accident. Relative imports are resolved against the importing file and compared as repository paths.
import { builtinModules } from 'node:module'
import path from 'node:path'

const builtins = new Set(builtinModules)
const isBuiltin = (spec) => spec.startsWith('node:') || builtins.has(spec.split('/')[0])
const packageOf = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/')
const withoutExtension = (p) => p.replace(/\.(d\.ts|ts|tsx|js|mjs|cjs)$/, '').replace(/\/index$/, '')

/**
 * Options: { layer, message, paths, packages, nodeBuiltins, importNames }
 * - paths: repository paths the layer may import. "main/core/" (trailing slash): that folder and below;
 *   "shared/ipc-channels" (no slash): that module only (its index when it is a folder).
 * - packages: package names the layer may import (subpaths included: "react-dom" allows "react-dom/client").
 * - nodeBuiltins: whether Node's built-in modules are allowed.
 * - importNames: per package, the only names that may be imported from it.
 */
export const layerImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only what its allow-list names.' },
    schema: [
      {
        type: 'object',
        properties: {
          layer: { type: 'string' },
          message: { type: 'string' },
          paths: { type: 'array', items: { type: 'string' } },
          packages: { type: 'array', items: { type: 'string' } },
          nodeBuiltins: { type: 'boolean' },
          importNames: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
        },
        required: ['layer', 'message', 'paths'],
        additionalProperties: false,
      },
    ],
    messages: {
      refused: "'{{spec}}' ({{what}}) is not on the allow-list of {{layer}}: {{message}}",
      refusedName: "'{{name}}' from '{{spec}}' is not on the allow-list of {{layer}}: {{message}}",
    },
  },
  create(context) {
    const o = context.options[0]
    const root = context.cwd
    const dir = path.dirname(context.filename)
    const paths = o.paths ?? []
    const packages = new Set(o.packages ?? [])
    const importNames = o.importNames ?? {}

    const pathAllowed = (target) => paths.some((p) => (p.endsWith('/') ? target.startsWith(p) : target === p))

    const report = (node, spec, what) =>
      context.report({ node, messageId: 'refused', data: { spec, what, layer: o.layer, message: o.message } })

    /** Checks one module specifier; `names` are the names imported from it (null: not known or none). */
    const check = (node, spec, names) => {
      if (typeof spec !== 'string') return
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const target = withoutExtension(
          path.relative(root, path.resolve(dir, spec)).split(path.sep).join('/'),
        )
        if (!pathAllowed(target))
          report(node, spec, target.startsWith('..') ? 'outside the repository' : target)
        return
      }
      if (isBuiltin(spec)) {
        if (!o.nodeBuiltins) report(node, spec, 'a Node built-in')
        return
      }
      const pkg = packageOf(spec)
      if (!packages.has(pkg)) {
        report(node, spec, 'a package')
        return
      }
      const allowedNames = importNames[pkg]
      if (!allowedNames) return
      if (names === null) {
        report(node, spec, `anything but ${allowedNames.join(', ')}`)
        return
      }
      for (const n of names)
        if (!allowedNames.includes(n.name))
          context.report({
            node: n.node,
            messageId: 'refusedName',
            data: { name: n.name, spec, layer: o.layer, message: o.message },
          })
    }

    const namesOf = (specifiers) => {
      const out = []
      for (const s of specifiers) {
        if (s.type !== 'ImportSpecifier' && s.type !== 'ExportSpecifier') return null // default or namespace
        const imported = s.type === 'ImportSpecifier' ? s.imported : s.local
        out.push({ name: imported.type === 'Identifier' ? imported.name : String(imported.value), node: s })
      }
      return out
    }

    return {
      ImportDeclaration: (n) => check(n.source, n.source.value, namesOf(n.specifiers)),
      ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value, namesOf(n.specifiers)),
      ExportAllDeclaration: (n) => check(n.source, n.source.value, null),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n.source, n.source.value, null),
      TSImportType: (n) => {
        const arg = n.argument?.literal ?? n.argument
        if (arg?.type === 'Literal') check(arg, arg.value, null)
      },
      TSExternalModuleReference: (n) => n.expression.type === 'Literal' && check(n, n.expression.value, null),
    }
  },
}

export const layersPlugin = { rules: { 'allowed-imports': layerImports } }
