package io.sigmatch.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the `sigmatch` command line (DESIGN §12); each subcommand is its own class. */
@Command(
    name = "sigmatch",
    mixinStandardHelpOptions = true,
    version = "sigmatch 0.1.0",
    description = "Signaling decode-and-match appliance: decode captures, replay them through the match pipeline, "
        + "read the journal, run the appliance.",
    subcommands = {
        DecodeCommand.class,
        ReplayCommand.class,
        JournalCommand.class,
        DemoCommand.class,
        CaptureCommand.class,
        io.sigmatch.tools.generate.GenerateCommand.class,
        RunCommand.class,
        PushCommand.class,
        StatusCommand.class,
        TokenCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class SigmatchCli implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code; tests call this instead of main. */
    public static int execute(final String... args) {
        final CommandLine cli = new CommandLine(new SigmatchCli());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // One clear line, no stack trace: bad input and missing files are normal for a CLI.
            commandLine.getErr().println("sigmatch " + commandLine.getCommandName() + ": " + ex.getMessage());
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
