using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Catalogue;

namespace MiniGptMed.DicomNode.Assembly;

/// <summary>The catalogue's grouping per listening AE, from <see cref="AssemblyOptions"/> (<c>GroupBy</c>).</summary>
internal sealed class ConfiguredStudyGrouping(IOptionsMonitor<AssemblyOptions> options) : IStudyGrouping
{
    public GroupLevel LevelFor(string calledAe) => options.CurrentValue.For(calledAe).GroupBy;
}
