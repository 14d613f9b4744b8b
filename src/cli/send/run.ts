import type { Readable } from 'stream'
import definition from '../../destinations/appcues'
import { describeHoldings } from '../../simulator'
import type { SimulatorState } from '../../simulator'
import { Checkpoint } from './record/checkpoint'
import { lockCheckpoint } from './record/checkpoint-lock'
import { DeadLetterFile } from './record/dead-letter'
import type { Input } from './read/input'
import { inputOf } from './read/input'
import { readEvents } from './read/input-format'
import { ContentFingerprint, ContentMismatch, fingerprinted } from './read/content-mark'
import type { RawLine } from './read/line-reader'
import { UsageError } from '../args'
import { guardEventLoop } from './loop-guard'
import type { SendOptions } from './options'
import type { ProgressSink } from './record/progress'
import { SendRun } from './send-run'
import { Tally } from './record/tally'
import { buildSummary, formatSummary } from './record/summary'
import type { SendSummary } from './record/summary'
import { fingerprint, loadMappingFile, presetSubscriptions } from './route/subscriptions'
import { stateKeyOf } from './route/order-keys'
import { checkOutputFiles } from './record/output-files'
import { openTarget } from './target'
import type { Target } from './target'

export interface SendIO {
  stdout: (line: string) => void
  stderr: (line: string) => void
  /** Where the progress bar or progress lines go; none when undefined. */
  progress?: ProgressSink
  /** Standard input, for `-`. */
  stdin?: Readable
  /** Aborting it stops reading; events in flight finish, then the summary is printed. */
  signal?: AbortSignal
  /** How long events in flight may take to finish once `signal` aborts (default STOP_GRACE_MS). */
  stopGraceMs?: number
}

/**
 * After the first Ctrl-C, how long the events in flight may take to finish; the summary is printed then at the latest,
 * and the events still in flight are counted as unfinished (neither dead-lettered nor checkpointed).
 */
export const STOP_GRACE_MS = 5000

export interface SendResult {
  summary: SendSummary
  exitCode: number
  /** What the in-process simulator holds at the end, when the run simulated. */
  simulatorState?: SimulatorState
}

function exitCodeOf(summary: SendSummary): number {
  const { failed, unfinished, stopped, noEvents, incomplete, refused } = summary
  return failed > 0 || unfinished > 0 || stopped || noEvents || incomplete || refused ? 1 : 0
}

const nameOf = (input: string) => (input === '-' ? 'standard input' : input)

async function* startingWith(first: IteratorResult<RawLine>, rest: AsyncGenerator<RawLine>): AsyncGenerator<RawLine> {
  if (first.done) return
  yield first.value
  yield* rest
}

/**
 * With a checkpoint that recorded lines, reads the input until those lines are checked, before anything is sent: a
 * resume with other content (a file rewritten or a line inserted since, other data on standard input) is refused.
 */
async function checkedInput(
  lines: AsyncGenerator<RawLine>,
  checkpoint: Checkpoint,
  input: string
): Promise<AsyncGenerator<RawLine>> {
  const recorded = checkpoint.recordedContent
  if (recorded.lines === 0) return lines
  try {
    return startingWith(await lines.next(), lines)
  } catch (error) {
    if (!(error instanceof ContentMismatch)) throw error
    throw new UsageError(
      `The checkpoint ${checkpoint.file} belongs to other input: it recorded the first ${
        recorded.lines
      } lines of ${nameOf(checkpoint.recordedInput)}, and in ${nameOf(input)} ${
        error.message
      } (a file rewritten or a line inserted since, or other data on standard input). Nothing was sent. Resume with the input it was written for, or give another --checkpoint file (or delete it to send every line again).`
    )
  }
}

/** Runs the events through the target and returns what the summary is made of. */
async function deliverAll(run: SendRun, target: Target, input: Input, io: SendIO, checkpoint?: Checkpoint) {
  let giveUp = () => undefined as void
  const abandoned = new Promise<'abandoned'>((resolve) => (giveUp = () => resolve('abandoned')))
  let grace: NodeJS.Timeout | undefined
  const onAbort = () => {
    run.stop('interrupted. Run again with the same --checkpoint to continue where this run stopped.')
    grace = setTimeout(giveUp, io.stopGraceMs ?? STOP_GRACE_MS)
  }
  io.signal?.addEventListener('abort', onAbort)
  const stream = input.open()
  try {
    let lines = readEvents(stream as AsyncIterable<Buffer | string>, run.bytes)
    if (checkpoint)
      lines = await checkedInput(
        fingerprinted(lines, checkpoint.content, checkpoint.recordedContent),
        checkpoint,
        input.name
      )
    io.stderr(target.notice)
    if (checkpoint && checkpoint.resumedLines > 0) {
      io.stderr(`Resuming from ${checkpoint.file}: ${checkpoint.resumedLines} lines were finished by an earlier run.`)
    }
    await run.prepare(target)
    run.progress.start()
    try {
      const consumed = run.consume(lines)
      // Abandoned after the grace period, the work goes on until the process ends; its failure is nobody's concern.
      consumed.catch(() => undefined)
      await Promise.race([consumed, abandoned])
    } finally {
      run.progress.stop()
    }
    return target.simulator?.state()
  } finally {
    clearTimeout(grace)
    io.signal?.removeEventListener('abort', onAbort)
    run.end()
    stream.destroy()
  }
}

/** What the run stopped with when the event loop ran dry before it finished: something it waited for never came. */
const STALLED =
  'the run stalled: it was waiting for something that can no longer happen (an answer that never came, or a stream that never ended). Events not counted above were neither sent nor dead-lettered; run again with the same --checkpoint to continue.'

/** Sends the events of one input through the destination, then prints the summary. */
export async function runSend(options: SendOptions, io: SendIO): Promise<SendResult> {
  const started = Date.now()
  const input = inputOf(options.input, io.stdin)
  const subscriptions = options.mapping ? loadMappingFile(options.mapping, definition) : presetSubscriptions(definition)
  checkOutputFiles(options)
  // Two runs sharing one checkpoint would both send every event: the second is refused.
  const lock = options.checkpoint ? lockCheckpoint(options.checkpoint) : undefined
  let checkpoint: Checkpoint | undefined
  try {
    checkpoint = options.checkpoint
      ? Checkpoint.open(
          options.checkpoint,
          { input: input.name, subscriptions: fingerprint(subscriptions), subscriptionCount: subscriptions.length },
          new ContentFingerprint()
        )
      : undefined
  } catch (error) {
    lock?.release()
    throw error
  }
  let deadLetters: DeadLetterFile | undefined
  let target: Target | undefined
  let run: SendRun | undefined
  let simulatorState: SimulatorState | undefined
  const summarise = (stopped?: string) =>
    buildSummary({
      input: options.input,
      target: target?.description ?? { kind: 'appcues', where: 'not reached', accountId: 0 },
      tally: run?.tally ?? new Tally(),
      unfinished: run?.unfinished ?? 0,
      requests: run?.counters.requests ?? 0,
      batchSize: options.batchSize,
      maxRefused: options.maxRefused,
      elapsedMs: Date.now() - started,
      deadLetter: {
        file: deadLetters?.file ?? options.deadLetter,
        count: deadLetters?.count ?? 0,
        superseded: deadLetters?.superseded ?? 0
      },
      ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
      ...(stopped ?? run?.stopped ? { stopped: stopped ?? run?.stopped } : {}),
      ...(simulatorState ? { simulator: simulatorState.counts } : {})
    })
  const closeFiles = () => {
    const failure = checkpoint?.close()
    if (failure) io.stderr(`The checkpoint ${checkpoint?.file ?? ''} could not be written: ${failure.message}`)
    try {
      deadLetters?.close()
    } catch (error) {
      io.stderr(`The dead-letter file ${options.deadLetter} could not be closed: ${(error as Error).message}`)
    }
    lock?.release()
  }
  // Should the run wait for something that can no longer come, Node would exit 0 without a word: say so, exit 1.
  const guard = guardEventLoop(() => {
    printSummary(summarise(STALLED), options.json, undefined, io)
    closeFiles()
  })
  try {
    const stateKeys = subscriptions.map((subscription, index) => stateKeyOf(subscription, index))
    deadLetters = new DeadLetterFile(options.deadLetter, (checkpoint?.resumedLines ?? 0) > 0, (letter) => {
      const index = subscriptions.findIndex((subscription) => subscription.name === letter.subscription)
      return index === -1 ? undefined : stateKeys[index](letter.event)
    })
    run = new SendRun(options, io, subscriptions, stateKeys, deadLetters, checkpoint, input.totalBytes)
    target = await openTarget(options.target)
    try {
      simulatorState = await deliverAll(run, target, input, io, checkpoint)
    } catch (error) {
      // What fails before the events are read (a refused input or credentials) is reported alone; once events are
      // being sent, an error still ends with the summary.
      if (!run.consuming) throw error
      run.stop(`an error occurred: ${(error as Error).message}`)
      simulatorState = target.simulator?.state()
    }
  } finally {
    guard.release()
    closeFiles()
    await target?.close()
  }
  const summary = summarise()
  printSummary(summary, options.json, simulatorState, io)
  return { summary, exitCode: exitCodeOf(summary), ...(simulatorState ? { simulatorState } : {}) }
}

function printSummary(
  summary: SendSummary,
  json: boolean,
  simulatorState: SimulatorState | undefined,
  io: SendIO
): void {
  if (json) {
    io.stdout(JSON.stringify(summary))
    return
  }
  formatSummary(summary).forEach((line) => io.stdout(line))
  if (simulatorState) {
    io.stdout('')
    io.stdout(`The simulated Appcues account ${summary.target.accountId} now holds:`)
    describeHoldings(simulatorState).forEach((line) => io.stdout(line))
  }
}
