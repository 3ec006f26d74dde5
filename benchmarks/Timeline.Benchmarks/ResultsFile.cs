namespace Timeline.Benchmarks;

public static class ResultsFile
{
    /// <summary>benchmarks/results.json in the repository this program was built in, else results.json here.</summary>
    public static string Default()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            var dir = new DirectoryInfo(start);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Timeline.sln"))) dir = dir.Parent;
            if (dir is not null) return Path.Combine(dir.FullName, "benchmarks", "results.json");
        }
        return Path.GetFullPath("results.json");
    }
}
