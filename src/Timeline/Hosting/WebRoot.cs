namespace Timeline.Hosting;

public static class WebRoot
{
    /// <summary>
    /// The pages copied beside Timeline.dll at build and publish, whatever the working folder (`dotnet run`
    /// from the repository root keeps its database there); null falls back to ./wwwroot.
    /// </summary>
    public static string? BesideTheApp()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        return Directory.Exists(path) ? path : null;
    }
}
