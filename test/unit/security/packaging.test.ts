// The packaged configuration: electron-builder.yml read as data, and a real `electron-builder --dir` run
// against a stub Electron distribution (no download): a file carrying Electron's fuse sentinel with the
// factory fuse wire, so the fuses electron-builder flips can be read back from the packaged binary.
import { execFile } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { tempDir } from '../../helpers/app'

const root = process.cwd()
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>
const fuses = config.electronFuses as Record<string, boolean>
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
// Fuse wire v1 positions (@electron/fuses FuseV1Options), '1' enabled, '0' disabled.
const WIRE = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const
const FACTORY_WIRE = '10110001'

describe('electron-builder.yml', () => {
  it('flips the fuses: no run-as-node, no NODE_OPTIONS, no inspect flags, asar integrity, asar only', () => {
    expect(fuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    })
  })

  it('ships better-sqlite3 outside the asar, rebuilt for Electron', () => {
    expect(config.asar).not.toBe(false)
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**')
    expect(config.npmRebuild).toBe(true)
  })

  it('builds NSIS on Windows, a hardened DMG on macOS, an AppImage on Linux, with icons that exist', () => {
    const win = config.win as Record<string, unknown>
    const mac = config.mac as Record<string, unknown>
    const linux = config.linux as Record<string, unknown>
    expect(win.target).toEqual(['nsis'])
    expect(mac.target).toEqual(['dmg'])
    expect(linux.target).toEqual(['AppImage'])
    expect(mac.hardenedRuntime).toBe(true)
    for (const f of [win.icon, mac.icon, linux.icon, mac.entitlements, mac.entitlementsInherit])
      expect(existsSync(join(root, String(f))), String(f)).toBe(true)
  })

  it('grants macOS only the entitlements V8 and the network need', () => {
    const plist = readFileSync(
      join(root, String((config.mac as Record<string, unknown>).entitlements)),
      'utf8',
    )
    const keys = [...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]).sort()
    expect(keys).toEqual([
      'com.apple.security.cs.allow-jit',
      'com.apple.security.cs.allow-unsigned-executable-memory',
      'com.apple.security.network.client',
    ])
    expect(plist).not.toMatch(/disable-library-validation|allow-dyld-environment-variables|get-task-allow/)
  })

  it('configures electron-updater with an https feed', () => {
    const publish = config.publish as Record<string, unknown>
    expect(publish.provider).toBe('generic')
    expect(String(publish.url)).toMatch(/^https:\/\//)
  })
})

describe('electron-builder --dir (stub Electron, offline)', () => {
  const tmp = tempDir('lastunit-pack-')
  const dist = join(tmp.dir, 'electron-dist')
  const proj = join(tmp.dir, 'project')
  const out = join(tmp.dir, 'out')

  beforeAll(async () => {
    mkdirSync(dist, { recursive: true })
    const wire = Buffer.from([1, WIRE.length, ...Buffer.from(FACTORY_WIRE)])
    writeFileSync(
      join(dist, 'electron'),
      Buffer.concat([Buffer.from('#!/bin/sh\n'), Buffer.from(SENTINEL), wire, Buffer.from('\n')]),
    )
    chmodSync(join(dist, 'electron'), 0o755)
    writeFileSync(join(dist, 'version'), '45.5.0')
    writeFileSync(join(dist, 'LICENSE'), 'stub')
    // A project with the real builder config and assets, a built main and a stand-in native module.
    const sqlite = join(proj, 'node_modules', 'better-sqlite3')
    mkdirSync(join(sqlite, 'build', 'Release'), { recursive: true })
    mkdirSync(join(sqlite, 'lib'), { recursive: true })
    mkdirSync(join(proj, 'out', 'main'), { recursive: true })
    writeFileSync(join(sqlite, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.0.0' }))
    writeFileSync(join(sqlite, 'lib', 'index.js'), 'module.exports = {}')
    writeFileSync(join(sqlite, 'build', 'Release', 'better_sqlite3.node'), 'native')
    writeFileSync(join(proj, 'out', 'main', 'index.js'), 'export {}\n')
    writeFileSync(join(proj, 'out', 'main', 'index.js.map'), '{}')
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>
    writeFileSync(
      join(proj, 'package.json'),
      JSON.stringify({
        name: pkg.name,
        version: pkg.version,
        description: pkg.description,
        author: pkg.author,
        main: pkg.main,
        dependencies: { 'better-sqlite3': '^12.0.0' },
      }),
    )
    cpSync(join(root, 'electron-builder.yml'), join(proj, 'electron-builder.yml'))
    cpSync(join(root, 'assets'), join(proj, 'assets'), { recursive: true })
    const cli = join(root, 'node_modules', 'electron-builder', 'cli.js')
    const r = await promisify(execFile)(
      process.execPath,
      [
        cli,
        '--dir',
        '--linux',
        '--x64',
        '--projectDir',
        proj,
        `-c.electronDist=${dist}`,
        '-c.electronVersion=45.5.0',
        // Rebuilding the native module needs Electron's headers from the internet; the config says true.
        '-c.npmRebuild=false',
        `-c.directories.output=${out}`,
      ],
      { cwd: proj, env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' }, timeout: 90_000 },
    ).catch((e: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`electron-builder failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`)
    })
    expect(r.stderr).not.toMatch(/⨯/)
  }, 100_000)
  afterAll(() => tmp.cleanup())

  const unpacked = () => join(out, 'linux-unpacked')

  it('packs the app into an asar with the fuses flipped in the binary', async () => {
    const bin = readFileSync(join(unpacked(), 'lastunit'))
    const at = bin.indexOf(SENTINEL) + SENTINEL.length
    expect(bin[at]).toBe(1)
    const wire = bin.subarray(at + 2, at + 2 + WIRE.length).toString()
    const flipped = Object.fromEntries(WIRE.map((name, i) => [name, wire[i] === '1']))
    expect(flipped).toEqual(
      Object.fromEntries(WIRE.map((name, i) => [name, fuses[name] ?? FACTORY_WIRE[i] === '1'])),
    )
    expect(flipped.runAsNode).toBe(false)
    expect(flipped.enableNodeOptionsEnvironmentVariable).toBe(false)
    expect(flipped.enableEmbeddedAsarIntegrityValidation).toBe(true)
    expect(flipped.onlyLoadAppFromAsar).toBe(true)
  })

  it('keeps better-sqlite3 unpacked next to the asar, tray icons and no source maps inside it', async () => {
    const { listPackage } = await import('@electron/asar')
    const files = listPackage(join(unpacked(), 'resources', 'app.asar'), { isPack: false })
    expect(files).toContain('/out/main/index.js')
    expect(files).not.toContain('/out/main/index.js.map')
    expect(files).toContain('/assets/tray/tray-healthyTemplate.png')
    expect(
      existsSync(
        join(
          unpacked(),
          'resources',
          'app.asar.unpacked',
          'node_modules',
          'better-sqlite3',
          'build',
          'Release',
        ),
      ),
    ).toBe(true)
  })

  it('writes the electron-updater feed into the package', () => {
    const feed = readFileSync(join(unpacked(), 'resources', 'app-update.yml'), 'utf8')
    expect(parse(feed)).toMatchObject({ provider: 'generic', url: 'https://updates.lastunit.app/releases' })
  })
})

describe('installers workflow', () => {
  it('builds on windows, macOS and ubuntu, testing the real Electron app before packaging', () => {
    const wf = parse(readFileSync(join(root, '.github', 'workflows', 'installers.yml'), 'utf8')) as {
      jobs: {
        build: {
          strategy: { matrix: { include: Array<{ os: string; target: string }> } }
          steps: Array<{ run?: string }>
        }
      }
    }
    const build = wf.jobs.build
    expect(build.strategy.matrix.include.map((m) => [m.os, m.target])).toEqual([
      ['windows-latest', '--win nsis'],
      ['macos-latest', '--mac dmg'],
      ['ubuntu-latest', '--linux AppImage'],
    ])
    const runs = build.steps.map((s) => s.run ?? '')
    const at = (cmd: string) => runs.findIndex((r) => r.includes(cmd))
    expect(at('npm ci')).toBeGreaterThanOrEqual(0)
    expect(at('playwright test -c playwright.electron.config.ts')).toBeGreaterThan(at('npm run build'))
    expect(at('electron-builder')).toBeGreaterThan(at('playwright test -c playwright.electron.config.ts'))
  })
})
