using MiniGptMed.Dicom.Imaging.Volumes;

namespace MiniGptMed.Dicom.Tests.Imaging.Volumes;

public sealed class SliceOrdererTests
{
    private static readonly double[] Axial = [1, 0, 0, 0, 1, 0];

    private static SliceGeometry Slice(string uid, double[]? position, double[]? orientation = null, string type = "ORIGINAL\\PRIMARY\\AXIAL") =>
        new(uid, "1.2.840.10008.5.1.4.1.1.2", position, orientation ?? Axial, type.Split('\\'), 512, 512, new(0.7, 0.7));

    [Fact]
    public void Order_ObliqueStack_SortsByProjectionOnTheNormalNotByZ()
    {
        // Rows along x, columns tilted 30 degrees about x: normal = (0, -sin 30, cos 30).
        var c = Math.Cos(Math.PI / 6);
        var s = Math.Sin(Math.PI / 6);
        double[] oblique = [1, 0, 0, 0, c, s];
        // Slice k sits at k * 5 mm along the normal plus an in-plane shift that would mislead a z sort.
        var slices = Enumerable.Range(0, 5).Select(k => Slice($"1.{k}",
            [0, (-s * 5 * k) + (c * 40 * (k % 2)), (c * 5 * k) + (s * 40 * (k % 2))], oblique)).Reverse().ToList();

        var volume = SliceOrderer.Order(slices);

        Assert.Equal(["1.0", "1.1", "1.2", "1.3", "1.4"], volume.Slices.Select(x => x.Geometry.SopInstanceUid));
        Assert.Equal([0, 5, 10, 15, 20], volume.Slices.Select(x => Math.Round(x.Position, 6)));
    }

    [Fact]
    public void Order_LeavesOutOtherOrientationsDerivedImagesAndMissingGeometry()
    {
        var volume = SliceOrderer.Order(
        [
            Slice("a", [0, 0, 2]),
            Slice("b", [0, 0, 1]),
            Slice("c", [0, 0, 3]),
            Slice("coronal", [0, 0, 0], [1, 0, 0, 0, 0, -1]),
            Slice("mip", [0, 0, 1.5], type: "DERIVED\\SECONDARY\\MIP"),
            Slice("nogeometry", null),
        ]);

        Assert.Equal(["b", "a", "c"], volume.Slices.Select(x => x.Geometry.SopInstanceUid));
        Assert.Equal(["coronal", "mip", "nogeometry"], volume.Excluded.Select(x => x.Geometry.SopInstanceUid).Order());
    }

    [Theory]
    [InlineData("all", new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    [InlineData("every:3", new[] { 0, 3, 6, 9 })]
    [InlineData("even:4", new[] { 0, 3, 6, 9 })]
    [InlineData("even:3", new[] { 0, 5, 9 })]
    [InlineData("even:20", new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    [InlineData("middle", new[] { 4 })]
    [InlineData("range:-17.5..-2.5", new[] { 5, 6, 7 })]
    [InlineData("range:-2.5..-17.5", new[] { 5, 6, 7 })]
    public void Select_PicksTheRuleSlices(string rule, int[] expected)
    {
        // Ten slices 5 mm apart from -40 to +5 along z.
        var volume = SliceOrderer.Order(Enumerable.Range(0, 10).Select(i => Slice($"{i}", [0, 0, -40 + (5 * i)])).Reverse());

        var chosen = SliceSelection.Parse(rule).Select(volume);

        Assert.Equal(expected.Select(i => $"{i}"), chosen.Select(x => x.Geometry.SopInstanceUid));
        Assert.All(chosen, x => Assert.Equal(x.Geometry.SopInstanceUid, x.Source.SopInstanceUid));
    }

    [Theory]
    [InlineData("every:0")]
    [InlineData("even:-1")]
    [InlineData("range:1")]
    [InlineData("some")]
    public void Parse_RejectsUnknownRules(string rule) =>
        Assert.Throws<FormatException>(() => SliceSelection.Parse(rule));
}
