package io.sigmatch.perf;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `sigmatch bench ...`: the measurement commands (perf/README.md); the launcher runs this jar for them. */
@Command(name = "sigmatch bench", mixinStandardHelpOptions = true,
    description = "Measure sigmatch: replay a capture from memory through the whole pipeline (replay), make large captures "
        + "(loop); perf/vs-tshark.sh compares decode with tshark, perf/jmh.sh runs the JMH suite.",
    subcommands = {ReplayBenchCommand.class, LoopCaptureCommand.class, CommandLine.HelpCommand.class})
public final class BenchCli implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args) {
        final CommandLine cli = new CommandLine(new BenchCli());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("sigmatch bench " + commandLine.getCommandName() + ": " + ex.getMessage());
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
