namespace EieHdl;

/// <summary>
/// Bad input from a user: a config, weight file, data file or argument. The message is one
/// line that names the input, the limit and the value; the command line prints it and exits
/// non-zero without writing output.
/// </summary>
public sealed class EieInputException(string message) : Exception(message);
