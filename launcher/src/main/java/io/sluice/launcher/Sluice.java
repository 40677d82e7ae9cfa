package io.sluice.launcher;

import io.sluice.launcher.admin.AdminCommand;
import io.sluice.launcher.batch.BatchCommand;
import io.sluice.launcher.client.ClientCommands;
import io.sluice.launcher.demo.DemoCommand;
import io.sluice.launcher.local.LocalCommand;
import io.sluice.launcher.serve.ServeCommand;
import io.sluice.simulator.SimulatorMain;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sluice} executable. */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    version = "Sluice 0.1.0",
    description = "Asynchronous LLM jobs at scale, on Kafka.",
    subcommands = {
      LocalCommand.class,
      DemoCommand.class,
      ServeCommand.class,
      AdminCommand.class,
      ClientCommands.Submit.class,
      ClientCommands.Status.class,
      BatchCommand.class,
    },
    footer = {
      "",
      "  sluice simulator [--port P] [--profile NAME] ...   run the provider simulator alone"
    })
public final class Sluice implements Runnable {
  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && args[0].equals("simulator")) {
      SimulatorMain.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("demo")) {
      System.setProperty("sluice.log.level", "WARN");
      System.setProperty("sluice.kafka.log.level", "ERROR");
    }
    System.exit(new CommandLine(new Sluice()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
