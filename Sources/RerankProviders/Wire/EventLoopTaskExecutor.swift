import NIOCore

/// A Swift `TaskExecutor` that runs tasks' jobs on one NIO event loop.
///
/// A scoring call alternates between task code (the runner, the request body, reading the
/// reply) and the HTTP client's socket events on its event loop a dozen times. On Swift's global
/// pool each of those switches is a hand-over to another thread, usually a sleeping one woken
/// with a futex or an eventfd; at hundreds of calls a second that was most of the client's CPU.
/// With the calls preferring this executor, both halves run on the loop's thread, and a job
/// queued from the loop itself is picked up in the same turn of the loop without a wake-up.
///
/// Jobs must not block: while one runs, the loop serves no socket.
@available(macOS 15.0, *)
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
