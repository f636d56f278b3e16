using System.CommandLine;

namespace EieHdl.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("EieHdl: the EIE sparse-inference accelerator, encoder, golden model and RTL generator");
        return root.Parse(args).Invoke();
    }
}
