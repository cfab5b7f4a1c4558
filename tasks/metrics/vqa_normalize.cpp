#include "tasks/metrics/vqa_normalize.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>

namespace mmh::metrics {
namespace {

// ---- Unicode data: generated from Python 3.11.7 (unicodedata 14.0.0) by probing str.lower() and re's \d ----------

struct LowerRun {  // code points first..last, every `stride`-th (0: a single one), lower-case to cp + delta
  char32_t first, last;
  int32_t delta;
  uint32_t stride;
};
struct CodeRange {
  char32_t first, last;
};
struct Contraction {
  std::string_view from, to;
};

// kCased: cased and not case-ignorable; kCaseIgnorable: case-ignorable. That is all CPython's final-sigma rule
// (unicodeobject.c handle_capital_sigma) can observe; both were probed through "AΣ".lower()-style calls.
// clang-format off
constexpr LowerRun kLowerRuns[] = {
    {0x41,0x5A,32,1}, {0xC0,0xD6,32,1}, {0xD8,0xDE,32,1}, {0x100,0x12E,1,2}, {0x132,0x136,1,2}, {0x139,0x147,1,2},
    {0x14A,0x176,1,2}, {0x178,0x178,-121,0}, {0x179,0x17D,1,2}, {0x181,0x181,210,0}, {0x182,0x184,1,2},
    {0x186,0x186,206,0}, {0x187,0x187,1,0}, {0x189,0x18A,205,1}, {0x18B,0x18B,1,0}, {0x18E,0x18E,79,0},
    {0x18F,0x18F,202,0}, {0x190,0x190,203,0}, {0x191,0x191,1,0}, {0x193,0x193,205,0}, {0x194,0x194,207,0},
    {0x196,0x196,211,0}, {0x197,0x197,209,0}, {0x198,0x198,1,0}, {0x19C,0x19C,211,0}, {0x19D,0x19D,213,0},
    {0x19F,0x19F,214,0}, {0x1A0,0x1A4,1,2}, {0x1A6,0x1A6,218,0}, {0x1A7,0x1A7,1,0}, {0x1A9,0x1A9,218,0},
    {0x1AC,0x1AC,1,0}, {0x1AE,0x1AE,218,0}, {0x1AF,0x1AF,1,0}, {0x1B1,0x1B2,217,1}, {0x1B3,0x1B5,1,2},
    {0x1B7,0x1B7,219,0}, {0x1B8,0x1B8,1,0}, {0x1BC,0x1BC,1,0}, {0x1C4,0x1C4,2,0}, {0x1C5,0x1C5,1,0},
    {0x1C7,0x1C7,2,0}, {0x1C8,0x1C8,1,0}, {0x1CA,0x1CA,2,0}, {0x1CB,0x1DB,1,2}, {0x1DE,0x1EE,1,2}, {0x1F1,0x1F1,2,0},
    {0x1F2,0x1F4,1,2}, {0x1F6,0x1F6,-97,0}, {0x1F7,0x1F7,-56,0}, {0x1F8,0x21E,1,2}, {0x220,0x220,-130,0},
    {0x222,0x232,1,2}, {0x23A,0x23A,10795,0}, {0x23B,0x23B,1,0}, {0x23D,0x23D,-163,0}, {0x23E,0x23E,10792,0},
    {0x241,0x241,1,0}, {0x243,0x243,-195,0}, {0x244,0x244,69,0}, {0x245,0x245,71,0}, {0x246,0x24E,1,2},
    {0x370,0x372,1,2}, {0x376,0x376,1,0}, {0x37F,0x37F,116,0}, {0x386,0x386,38,0}, {0x388,0x38A,37,1},
    {0x38C,0x38C,64,0}, {0x38E,0x38F,63,1}, {0x391,0x3A1,32,1}, {0x3A3,0x3AB,32,1}, {0x3CF,0x3CF,8,0},
    {0x3D8,0x3EE,1,2}, {0x3F4,0x3F4,-60,0}, {0x3F7,0x3F7,1,0}, {0x3F9,0x3F9,-7,0}, {0x3FA,0x3FA,1,0},
    {0x3FD,0x3FF,-130,1}, {0x400,0x40F,80,1}, {0x410,0x42F,32,1}, {0x460,0x480,1,2}, {0x48A,0x4BE,1,2},
    {0x4C0,0x4C0,15,0}, {0x4C1,0x4CD,1,2}, {0x4D0,0x52E,1,2}, {0x531,0x556,48,1}, {0x10A0,0x10C5,7264,1},
    {0x10C7,0x10C7,7264,0}, {0x10CD,0x10CD,7264,0}, {0x13A0,0x13EF,38864,1}, {0x13F0,0x13F5,8,1},
    {0x1C90,0x1CBA,-3008,1}, {0x1CBD,0x1CBF,-3008,1}, {0x1E00,0x1E94,1,2}, {0x1E9E,0x1E9E,-7615,0},
    {0x1EA0,0x1EFE,1,2}, {0x1F08,0x1F0F,-8,1}, {0x1F18,0x1F1D,-8,1}, {0x1F28,0x1F2F,-8,1}, {0x1F38,0x1F3F,-8,1},
    {0x1F48,0x1F4D,-8,1}, {0x1F59,0x1F5F,-8,2}, {0x1F68,0x1F6F,-8,1}, {0x1F88,0x1F8F,-8,1}, {0x1F98,0x1F9F,-8,1},
    {0x1FA8,0x1FAF,-8,1}, {0x1FB8,0x1FB9,-8,1}, {0x1FBA,0x1FBB,-74,1}, {0x1FBC,0x1FBC,-9,0}, {0x1FC8,0x1FCB,-86,1},
    {0x1FCC,0x1FCC,-9,0}, {0x1FD8,0x1FD9,-8,1}, {0x1FDA,0x1FDB,-100,1}, {0x1FE8,0x1FE9,-8,1}, {0x1FEA,0x1FEB,-112,1},
    {0x1FEC,0x1FEC,-7,0}, {0x1FF8,0x1FF9,-128,1}, {0x1FFA,0x1FFB,-126,1}, {0x1FFC,0x1FFC,-9,0},
    {0x2126,0x2126,-7517,0}, {0x212A,0x212A,-8383,0}, {0x212B,0x212B,-8262,0}, {0x2132,0x2132,28,0},
    {0x2160,0x216F,16,1}, {0x2183,0x2183,1,0}, {0x24B6,0x24CF,26,1}, {0x2C00,0x2C2F,48,1}, {0x2C60,0x2C60,1,0},
    {0x2C62,0x2C62,-10743,0}, {0x2C63,0x2C63,-3814,0}, {0x2C64,0x2C64,-10727,0}, {0x2C67,0x2C6B,1,2},
    {0x2C6D,0x2C6D,-10780,0}, {0x2C6E,0x2C6E,-10749,0}, {0x2C6F,0x2C6F,-10783,0}, {0x2C70,0x2C70,-10782,0},
    {0x2C72,0x2C72,1,0}, {0x2C75,0x2C75,1,0}, {0x2C7E,0x2C7F,-10815,1}, {0x2C80,0x2CE2,1,2}, {0x2CEB,0x2CED,1,2},
    {0x2CF2,0x2CF2,1,0}, {0xA640,0xA66C,1,2}, {0xA680,0xA69A,1,2}, {0xA722,0xA72E,1,2}, {0xA732,0xA76E,1,2},
    {0xA779,0xA77B,1,2}, {0xA77D,0xA77D,-35332,0}, {0xA77E,0xA786,1,2}, {0xA78B,0xA78B,1,0},
    {0xA78D,0xA78D,-42280,0}, {0xA790,0xA792,1,2}, {0xA796,0xA7A8,1,2}, {0xA7AA,0xA7AA,-42308,0},
    {0xA7AB,0xA7AB,-42319,0}, {0xA7AC,0xA7AC,-42315,0}, {0xA7AD,0xA7AD,-42305,0}, {0xA7AE,0xA7AE,-42308,0},
    {0xA7B0,0xA7B0,-42258,0}, {0xA7B1,0xA7B1,-42282,0}, {0xA7B2,0xA7B2,-42261,0}, {0xA7B3,0xA7B3,928,0},
    {0xA7B4,0xA7C2,1,2}, {0xA7C4,0xA7C4,-48,0}, {0xA7C5,0xA7C5,-42307,0}, {0xA7C6,0xA7C6,-35384,0},
    {0xA7C7,0xA7C9,1,2}, {0xA7D0,0xA7D0,1,0}, {0xA7D6,0xA7D8,1,2}, {0xA7F5,0xA7F5,1,0}, {0xFF21,0xFF3A,32,1},
    {0x10400,0x10427,40,1}, {0x104B0,0x104D3,40,1}, {0x10570,0x1057A,39,1}, {0x1057C,0x1058A,39,1},
    {0x1058C,0x10592,39,1}, {0x10594,0x10595,39,1}, {0x10C80,0x10CB2,64,1}, {0x118A0,0x118BF,32,1},
    {0x16E40,0x16E5F,32,1}, {0x1E900,0x1E921,34,1},
};
constexpr CodeRange kDecimalDigits[] = {
    {0x30,0x39}, {0x660,0x669}, {0x6F0,0x6F9}, {0x7C0,0x7C9}, {0x966,0x96F}, {0x9E6,0x9EF}, {0xA66,0xA6F},
    {0xAE6,0xAEF}, {0xB66,0xB6F}, {0xBE6,0xBEF}, {0xC66,0xC6F}, {0xCE6,0xCEF}, {0xD66,0xD6F}, {0xDE6,0xDEF},
    {0xE50,0xE59}, {0xED0,0xED9}, {0xF20,0xF29}, {0x1040,0x1049}, {0x1090,0x1099}, {0x17E0,0x17E9}, {0x1810,0x1819},
    {0x1946,0x194F}, {0x19D0,0x19D9}, {0x1A80,0x1A89}, {0x1A90,0x1A99}, {0x1B50,0x1B59}, {0x1BB0,0x1BB9},
    {0x1C40,0x1C49}, {0x1C50,0x1C59}, {0xA620,0xA629}, {0xA8D0,0xA8D9}, {0xA900,0xA909}, {0xA9D0,0xA9D9},
    {0xA9F0,0xA9F9}, {0xAA50,0xAA59}, {0xABF0,0xABF9}, {0xFF10,0xFF19}, {0x104A0,0x104A9}, {0x10D30,0x10D39},
    {0x11066,0x1106F}, {0x110F0,0x110F9}, {0x11136,0x1113F}, {0x111D0,0x111D9}, {0x112F0,0x112F9}, {0x11450,0x11459},
    {0x114D0,0x114D9}, {0x11650,0x11659}, {0x116C0,0x116C9}, {0x11730,0x11739}, {0x118E0,0x118E9}, {0x11950,0x11959},
    {0x11C50,0x11C59}, {0x11D50,0x11D59}, {0x11DA0,0x11DA9}, {0x16A60,0x16A69}, {0x16AC0,0x16AC9}, {0x16B50,0x16B59},
    {0x1D7CE,0x1D7FF}, {0x1E140,0x1E149}, {0x1E2F0,0x1E2F9}, {0x1E950,0x1E959}, {0x1FBF0,0x1FBF9},
};
constexpr CodeRange kCased[] = {
    {0x41,0x5A}, {0x61,0x7A}, {0xAA,0xAA}, {0xB5,0xB5}, {0xBA,0xBA}, {0xC0,0xD6}, {0xD8,0xF6}, {0xF8,0x1BA},
    {0x1BC,0x1BF}, {0x1C4,0x293}, {0x295,0x2AF}, {0x370,0x373}, {0x376,0x377}, {0x37B,0x37D}, {0x37F,0x37F},
    {0x386,0x386}, {0x388,0x38A}, {0x38C,0x38C}, {0x38E,0x3A1}, {0x3A3,0x3F5}, {0x3F7,0x481}, {0x48A,0x52F},
    {0x531,0x556}, {0x560,0x588}, {0x10A0,0x10C5}, {0x10C7,0x10C7}, {0x10CD,0x10CD}, {0x10D0,0x10FA},
    {0x10FD,0x10FF}, {0x13A0,0x13F5}, {0x13F8,0x13FD}, {0x1C80,0x1C88}, {0x1C90,0x1CBA}, {0x1CBD,0x1CBF},
    {0x1D00,0x1D2B}, {0x1D6B,0x1D77}, {0x1D79,0x1D9A}, {0x1E00,0x1F15}, {0x1F18,0x1F1D}, {0x1F20,0x1F45},
    {0x1F48,0x1F4D}, {0x1F50,0x1F57}, {0x1F59,0x1F59}, {0x1F5B,0x1F5B}, {0x1F5D,0x1F5D}, {0x1F5F,0x1F7D},
    {0x1F80,0x1FB4}, {0x1FB6,0x1FBC}, {0x1FBE,0x1FBE}, {0x1FC2,0x1FC4}, {0x1FC6,0x1FCC}, {0x1FD0,0x1FD3},
    {0x1FD6,0x1FDB}, {0x1FE0,0x1FEC}, {0x1FF2,0x1FF4}, {0x1FF6,0x1FFC}, {0x2102,0x2102}, {0x2107,0x2107},
    {0x210A,0x2113}, {0x2115,0x2115}, {0x2119,0x211D}, {0x2124,0x2124}, {0x2126,0x2126}, {0x2128,0x2128},
    {0x212A,0x212D}, {0x212F,0x2134}, {0x2139,0x2139}, {0x213C,0x213F}, {0x2145,0x2149}, {0x214E,0x214E},
    {0x2160,0x217F}, {0x2183,0x2184}, {0x24B6,0x24E9}, {0x2C00,0x2C7B}, {0x2C7E,0x2CE4}, {0x2CEB,0x2CEE},
    {0x2CF2,0x2CF3}, {0x2D00,0x2D25}, {0x2D27,0x2D27}, {0x2D2D,0x2D2D}, {0xA640,0xA66D}, {0xA680,0xA69B},
    {0xA722,0xA76F}, {0xA771,0xA787}, {0xA78B,0xA78E}, {0xA790,0xA7CA}, {0xA7D0,0xA7D1}, {0xA7D3,0xA7D3},
    {0xA7D5,0xA7D9}, {0xA7F5,0xA7F6}, {0xA7FA,0xA7FA}, {0xAB30,0xAB5A}, {0xAB60,0xAB68}, {0xAB70,0xABBF},
    {0xFB00,0xFB06}, {0xFB13,0xFB17}, {0xFF21,0xFF3A}, {0xFF41,0xFF5A}, {0x10400,0x1044F}, {0x104B0,0x104D3},
    {0x104D8,0x104FB}, {0x10570,0x1057A}, {0x1057C,0x1058A}, {0x1058C,0x10592}, {0x10594,0x10595}, {0x10597,0x105A1},
    {0x105A3,0x105B1}, {0x105B3,0x105B9}, {0x105BB,0x105BC}, {0x10C80,0x10CB2}, {0x10CC0,0x10CF2}, {0x118A0,0x118DF},
    {0x16E40,0x16E7F}, {0x1D400,0x1D454}, {0x1D456,0x1D49C}, {0x1D49E,0x1D49F}, {0x1D4A2,0x1D4A2}, {0x1D4A5,0x1D4A6},
    {0x1D4A9,0x1D4AC}, {0x1D4AE,0x1D4B9}, {0x1D4BB,0x1D4BB}, {0x1D4BD,0x1D4C3}, {0x1D4C5,0x1D505}, {0x1D507,0x1D50A},
    {0x1D50D,0x1D514}, {0x1D516,0x1D51C}, {0x1D51E,0x1D539}, {0x1D53B,0x1D53E}, {0x1D540,0x1D544}, {0x1D546,0x1D546},
    {0x1D54A,0x1D550}, {0x1D552,0x1D6A5}, {0x1D6A8,0x1D6C0}, {0x1D6C2,0x1D6DA}, {0x1D6DC,0x1D6FA}, {0x1D6FC,0x1D714},
    {0x1D716,0x1D734}, {0x1D736,0x1D74E}, {0x1D750,0x1D76E}, {0x1D770,0x1D788}, {0x1D78A,0x1D7A8}, {0x1D7AA,0x1D7C2},
    {0x1D7C4,0x1D7CB}, {0x1DF00,0x1DF09}, {0x1DF0B,0x1DF1E}, {0x1E900,0x1E943}, {0x1F130,0x1F149}, {0x1F150,0x1F169},
    {0x1F170,0x1F189},
};
constexpr CodeRange kCaseIgnorable[] = {
    {0x27,0x27}, {0x2E,0x2E}, {0x3A,0x3A}, {0x5E,0x5E}, {0x60,0x60}, {0xA8,0xA8}, {0xAD,0xAD}, {0xAF,0xAF},
    {0xB4,0xB4}, {0xB7,0xB8}, {0x2B0,0x36F}, {0x374,0x375}, {0x37A,0x37A}, {0x384,0x385}, {0x387,0x387},
    {0x483,0x489}, {0x559,0x559}, {0x55F,0x55F}, {0x591,0x5BD}, {0x5BF,0x5BF}, {0x5C1,0x5C2}, {0x5C4,0x5C5},
    {0x5C7,0x5C7}, {0x5F4,0x5F4}, {0x600,0x605}, {0x610,0x61A}, {0x61C,0x61C}, {0x640,0x640}, {0x64B,0x65F},
    {0x670,0x670}, {0x6D6,0x6DD}, {0x6DF,0x6E8}, {0x6EA,0x6ED}, {0x70F,0x70F}, {0x711,0x711}, {0x730,0x74A},
    {0x7A6,0x7B0}, {0x7EB,0x7F5}, {0x7FA,0x7FA}, {0x7FD,0x7FD}, {0x816,0x82D}, {0x859,0x85B}, {0x888,0x888},
    {0x890,0x891}, {0x898,0x89F}, {0x8C9,0x902}, {0x93A,0x93A}, {0x93C,0x93C}, {0x941,0x948}, {0x94D,0x94D},
    {0x951,0x957}, {0x962,0x963}, {0x971,0x971}, {0x981,0x981}, {0x9BC,0x9BC}, {0x9C1,0x9C4}, {0x9CD,0x9CD},
    {0x9E2,0x9E3}, {0x9FE,0x9FE}, {0xA01,0xA02}, {0xA3C,0xA3C}, {0xA41,0xA42}, {0xA47,0xA48}, {0xA4B,0xA4D},
    {0xA51,0xA51}, {0xA70,0xA71}, {0xA75,0xA75}, {0xA81,0xA82}, {0xABC,0xABC}, {0xAC1,0xAC5}, {0xAC7,0xAC8},
    {0xACD,0xACD}, {0xAE2,0xAE3}, {0xAFA,0xAFF}, {0xB01,0xB01}, {0xB3C,0xB3C}, {0xB3F,0xB3F}, {0xB41,0xB44},
    {0xB4D,0xB4D}, {0xB55,0xB56}, {0xB62,0xB63}, {0xB82,0xB82}, {0xBC0,0xBC0}, {0xBCD,0xBCD}, {0xC00,0xC00},
    {0xC04,0xC04}, {0xC3C,0xC3C}, {0xC3E,0xC40}, {0xC46,0xC48}, {0xC4A,0xC4D}, {0xC55,0xC56}, {0xC62,0xC63},
    {0xC81,0xC81}, {0xCBC,0xCBC}, {0xCBF,0xCBF}, {0xCC6,0xCC6}, {0xCCC,0xCCD}, {0xCE2,0xCE3}, {0xD00,0xD01},
    {0xD3B,0xD3C}, {0xD41,0xD44}, {0xD4D,0xD4D}, {0xD62,0xD63}, {0xD81,0xD81}, {0xDCA,0xDCA}, {0xDD2,0xDD4},
    {0xDD6,0xDD6}, {0xE31,0xE31}, {0xE34,0xE3A}, {0xE46,0xE4E}, {0xEB1,0xEB1}, {0xEB4,0xEBC}, {0xEC6,0xEC6},
    {0xEC8,0xECD}, {0xF18,0xF19}, {0xF35,0xF35}, {0xF37,0xF37}, {0xF39,0xF39}, {0xF71,0xF7E}, {0xF80,0xF84},
    {0xF86,0xF87}, {0xF8D,0xF97}, {0xF99,0xFBC}, {0xFC6,0xFC6}, {0x102D,0x1030}, {0x1032,0x1037}, {0x1039,0x103A},
    {0x103D,0x103E}, {0x1058,0x1059}, {0x105E,0x1060}, {0x1071,0x1074}, {0x1082,0x1082}, {0x1085,0x1086},
    {0x108D,0x108D}, {0x109D,0x109D}, {0x10FC,0x10FC}, {0x135D,0x135F}, {0x1712,0x1714}, {0x1732,0x1733},
    {0x1752,0x1753}, {0x1772,0x1773}, {0x17B4,0x17B5}, {0x17B7,0x17BD}, {0x17C6,0x17C6}, {0x17C9,0x17D3},
    {0x17D7,0x17D7}, {0x17DD,0x17DD}, {0x180B,0x180F}, {0x1843,0x1843}, {0x1885,0x1886}, {0x18A9,0x18A9},
    {0x1920,0x1922}, {0x1927,0x1928}, {0x1932,0x1932}, {0x1939,0x193B}, {0x1A17,0x1A18}, {0x1A1B,0x1A1B},
    {0x1A56,0x1A56}, {0x1A58,0x1A5E}, {0x1A60,0x1A60}, {0x1A62,0x1A62}, {0x1A65,0x1A6C}, {0x1A73,0x1A7C},
    {0x1A7F,0x1A7F}, {0x1AA7,0x1AA7}, {0x1AB0,0x1ACE}, {0x1B00,0x1B03}, {0x1B34,0x1B34}, {0x1B36,0x1B3A},
    {0x1B3C,0x1B3C}, {0x1B42,0x1B42}, {0x1B6B,0x1B73}, {0x1B80,0x1B81}, {0x1BA2,0x1BA5}, {0x1BA8,0x1BA9},
    {0x1BAB,0x1BAD}, {0x1BE6,0x1BE6}, {0x1BE8,0x1BE9}, {0x1BED,0x1BED}, {0x1BEF,0x1BF1}, {0x1C2C,0x1C33},
    {0x1C36,0x1C37}, {0x1C78,0x1C7D}, {0x1CD0,0x1CD2}, {0x1CD4,0x1CE0}, {0x1CE2,0x1CE8}, {0x1CED,0x1CED},
    {0x1CF4,0x1CF4}, {0x1CF8,0x1CF9}, {0x1D2C,0x1D6A}, {0x1D78,0x1D78}, {0x1D9B,0x1DFF}, {0x1FBD,0x1FBD},
    {0x1FBF,0x1FC1}, {0x1FCD,0x1FCF}, {0x1FDD,0x1FDF}, {0x1FED,0x1FEF}, {0x1FFD,0x1FFE}, {0x200B,0x200F},
    {0x2018,0x2019}, {0x2024,0x2024}, {0x2027,0x2027}, {0x202A,0x202E}, {0x2060,0x2064}, {0x2066,0x206F},
    {0x2071,0x2071}, {0x207F,0x207F}, {0x2090,0x209C}, {0x20D0,0x20F0}, {0x2C7C,0x2C7D}, {0x2CEF,0x2CF1},
    {0x2D6F,0x2D6F}, {0x2D7F,0x2D7F}, {0x2DE0,0x2DFF}, {0x2E2F,0x2E2F}, {0x3005,0x3005}, {0x302A,0x302D},
    {0x3031,0x3035}, {0x303B,0x303B}, {0x3099,0x309E}, {0x30FC,0x30FE}, {0xA015,0xA015}, {0xA4F8,0xA4FD},
    {0xA60C,0xA60C}, {0xA66F,0xA672}, {0xA674,0xA67D}, {0xA67F,0xA67F}, {0xA69C,0xA69F}, {0xA6F0,0xA6F1},
    {0xA700,0xA721}, {0xA770,0xA770}, {0xA788,0xA78A}, {0xA7F2,0xA7F4}, {0xA7F8,0xA7F9}, {0xA802,0xA802},
    {0xA806,0xA806}, {0xA80B,0xA80B}, {0xA825,0xA826}, {0xA82C,0xA82C}, {0xA8C4,0xA8C5}, {0xA8E0,0xA8F1},
    {0xA8FF,0xA8FF}, {0xA926,0xA92D}, {0xA947,0xA951}, {0xA980,0xA982}, {0xA9B3,0xA9B3}, {0xA9B6,0xA9B9},
    {0xA9BC,0xA9BD}, {0xA9CF,0xA9CF}, {0xA9E5,0xA9E6}, {0xAA29,0xAA2E}, {0xAA31,0xAA32}, {0xAA35,0xAA36},
    {0xAA43,0xAA43}, {0xAA4C,0xAA4C}, {0xAA70,0xAA70}, {0xAA7C,0xAA7C}, {0xAAB0,0xAAB0}, {0xAAB2,0xAAB4},
    {0xAAB7,0xAAB8}, {0xAABE,0xAABF}, {0xAAC1,0xAAC1}, {0xAADD,0xAADD}, {0xAAEC,0xAAED}, {0xAAF3,0xAAF4},
    {0xAAF6,0xAAF6}, {0xAB5B,0xAB5F}, {0xAB69,0xAB6B}, {0xABE5,0xABE5}, {0xABE8,0xABE8}, {0xABED,0xABED},
    {0xFB1E,0xFB1E}, {0xFBB2,0xFBC2}, {0xFE00,0xFE0F}, {0xFE13,0xFE13}, {0xFE20,0xFE2F}, {0xFE52,0xFE52},
    {0xFE55,0xFE55}, {0xFEFF,0xFEFF}, {0xFF07,0xFF07}, {0xFF0E,0xFF0E}, {0xFF1A,0xFF1A}, {0xFF3E,0xFF3E},
    {0xFF40,0xFF40}, {0xFF70,0xFF70}, {0xFF9E,0xFF9F}, {0xFFE3,0xFFE3}, {0xFFF9,0xFFFB}, {0x101FD,0x101FD},
    {0x102E0,0x102E0}, {0x10376,0x1037A}, {0x10780,0x10785}, {0x10787,0x107B0}, {0x107B2,0x107BA}, {0x10A01,0x10A03},
    {0x10A05,0x10A06}, {0x10A0C,0x10A0F}, {0x10A38,0x10A3A}, {0x10A3F,0x10A3F}, {0x10AE5,0x10AE6}, {0x10D24,0x10D27},
    {0x10EAB,0x10EAC}, {0x10F46,0x10F50}, {0x10F82,0x10F85}, {0x11001,0x11001}, {0x11038,0x11046}, {0x11070,0x11070},
    {0x11073,0x11074}, {0x1107F,0x11081}, {0x110B3,0x110B6}, {0x110B9,0x110BA}, {0x110BD,0x110BD}, {0x110C2,0x110C2},
    {0x110CD,0x110CD}, {0x11100,0x11102}, {0x11127,0x1112B}, {0x1112D,0x11134}, {0x11173,0x11173}, {0x11180,0x11181},
    {0x111B6,0x111BE}, {0x111C9,0x111CC}, {0x111CF,0x111CF}, {0x1122F,0x11231}, {0x11234,0x11234}, {0x11236,0x11237},
    {0x1123E,0x1123E}, {0x112DF,0x112DF}, {0x112E3,0x112EA}, {0x11300,0x11301}, {0x1133B,0x1133C}, {0x11340,0x11340},
    {0x11366,0x1136C}, {0x11370,0x11374}, {0x11438,0x1143F}, {0x11442,0x11444}, {0x11446,0x11446}, {0x1145E,0x1145E},
    {0x114B3,0x114B8}, {0x114BA,0x114BA}, {0x114BF,0x114C0}, {0x114C2,0x114C3}, {0x115B2,0x115B5}, {0x115BC,0x115BD},
    {0x115BF,0x115C0}, {0x115DC,0x115DD}, {0x11633,0x1163A}, {0x1163D,0x1163D}, {0x1163F,0x11640}, {0x116AB,0x116AB},
    {0x116AD,0x116AD}, {0x116B0,0x116B5}, {0x116B7,0x116B7}, {0x1171D,0x1171F}, {0x11722,0x11725}, {0x11727,0x1172B},
    {0x1182F,0x11837}, {0x11839,0x1183A}, {0x1193B,0x1193C}, {0x1193E,0x1193E}, {0x11943,0x11943}, {0x119D4,0x119D7},
    {0x119DA,0x119DB}, {0x119E0,0x119E0}, {0x11A01,0x11A0A}, {0x11A33,0x11A38}, {0x11A3B,0x11A3E}, {0x11A47,0x11A47},
    {0x11A51,0x11A56}, {0x11A59,0x11A5B}, {0x11A8A,0x11A96}, {0x11A98,0x11A99}, {0x11C30,0x11C36}, {0x11C38,0x11C3D},
    {0x11C3F,0x11C3F}, {0x11C92,0x11CA7}, {0x11CAA,0x11CB0}, {0x11CB2,0x11CB3}, {0x11CB5,0x11CB6}, {0x11D31,0x11D36},
    {0x11D3A,0x11D3A}, {0x11D3C,0x11D3D}, {0x11D3F,0x11D45}, {0x11D47,0x11D47}, {0x11D90,0x11D91}, {0x11D95,0x11D95},
    {0x11D97,0x11D97}, {0x11EF3,0x11EF4}, {0x13430,0x13438}, {0x16AF0,0x16AF4}, {0x16B30,0x16B36}, {0x16B40,0x16B43},
    {0x16F4F,0x16F4F}, {0x16F8F,0x16F9F}, {0x16FE0,0x16FE1}, {0x16FE3,0x16FE4}, {0x1AFF0,0x1AFF3}, {0x1AFF5,0x1AFFB},
    {0x1AFFD,0x1AFFE}, {0x1BC9D,0x1BC9E}, {0x1BCA0,0x1BCA3}, {0x1CF00,0x1CF2D}, {0x1CF30,0x1CF46}, {0x1D167,0x1D169},
    {0x1D173,0x1D182}, {0x1D185,0x1D18B}, {0x1D1AA,0x1D1AD}, {0x1D242,0x1D244}, {0x1DA00,0x1DA36}, {0x1DA3B,0x1DA6C},
    {0x1DA75,0x1DA75}, {0x1DA84,0x1DA84}, {0x1DA9B,0x1DA9F}, {0x1DAA1,0x1DAAF}, {0x1E000,0x1E006}, {0x1E008,0x1E018},
    {0x1E01B,0x1E021}, {0x1E023,0x1E024}, {0x1E026,0x1E02A}, {0x1E130,0x1E13D}, {0x1E2AE,0x1E2AE}, {0x1E2EC,0x1E2EF},
    {0x1E8D0,0x1E8D6}, {0x1E944,0x1E94B}, {0x1F3FB,0x1F3FF}, {0xE0001,0xE0001}, {0xE0020,0xE007F}, {0xE0100,0xE01EF},
};
// clang-format on

// vqaEval.py contractions (vqa_spec.md section 3; EvalAI has the same 120), sorted by UTF-8 bytes.
constexpr Contraction kVqaContractions[] = {
    {"'ow'sat", "'ow's'at"}, {"'ows'at", "'ow's'at"}, {"I'dve", "I'd've"}, {"Id've", "I'd've"}, {"Im", "I'm"},
    {"Ive", "I've"}, {"aint", "ain't"}, {"arent", "aren't"}, {"cant", "can't"}, {"couldn'tve", "couldn't've"},
    {"couldnt", "couldn't"}, {"couldnt've", "couldn't've"}, {"couldve", "could've"}, {"didnt", "didn't"},
    {"doesnt", "doesn't"}, {"dont", "don't"}, {"hadn'tve", "hadn't've"}, {"hadnt", "hadn't"},
    {"hadnt've", "hadn't've"}, {"hasnt", "hasn't"}, {"havent", "haven't"}, {"he'dve", "he'd've"}, {"hed", "he'd"},
    {"hed've", "he'd've"}, {"hes", "he's"}, {"howd", "how'd"}, {"howll", "how'll"}, {"hows", "how's"},
    {"isnt", "isn't"}, {"it'dve", "it'd've"}, {"itd", "it'd"}, {"itd've", "it'd've"}, {"itll", "it'll"},
    {"let's", "let's"}, {"maam", "ma'am"}, {"mightn'tve", "mightn't've"}, {"mightnt", "mightn't"},
    {"mightnt've", "mightn't've"}, {"mightve", "might've"}, {"mustnt", "mustn't"}, {"mustve", "must've"},
    {"neednt", "needn't"}, {"notve", "not've"}, {"oclock", "o'clock"}, {"oughtnt", "oughtn't"},
    {"ow's'at", "'ow's'at"}, {"shant", "shan't"}, {"she'dve", "she'd've"}, {"she's", "she's"},
    {"shed've", "she'd've"}, {"shouldn'tve", "shouldn't've"}, {"shouldnt", "shouldn't"},
    {"shouldnt've", "shouldn't've"}, {"shouldve", "should've"}, {"somebody'd", "somebodyd"},
    {"somebody'dve", "somebody'd've"}, {"somebodyd've", "somebody'd've"}, {"somebodyll", "somebody'll"},
    {"somebodys", "somebody's"}, {"someone'dve", "someone'd've"}, {"someoned", "someone'd"},
    {"someoned've", "someone'd've"}, {"someonell", "someone'll"}, {"someones", "someone's"},
    {"something'dve", "something'd've"}, {"somethingd", "something'd"}, {"somethingd've", "something'd've"},
    {"somethingll", "something'll"}, {"thats", "that's"}, {"there'dve", "there'd've"}, {"thered", "there'd"},
    {"thered've", "there'd've"}, {"therere", "there're"}, {"theres", "there's"}, {"they'dve", "they'd've"},
    {"theyd", "they'd"}, {"theyd've", "they'd've"}, {"theyll", "they'll"}, {"theyre", "they're"},
    {"theyve", "they've"}, {"twas", "'twas"}, {"wasnt", "wasn't"}, {"we'dve", "we'd've"}, {"wed've", "we'd've"},
    {"werent", "weren't"}, {"weve", "we've"}, {"whatll", "what'll"}, {"whatre", "what're"}, {"whats", "what's"},
    {"whatve", "what've"}, {"whens", "when's"}, {"whered", "where'd"}, {"wheres", "where's"}, {"whereve", "where've"},
    {"who'dve", "who'd've"}, {"whod", "who'd"}, {"whod've", "who'd've"}, {"wholl", "who'll"}, {"whos", "who's"},
    {"whove", "who've"}, {"whyll", "why'll"}, {"whyre", "why're"}, {"whys", "why's"}, {"wont", "won't"},
    {"wouldn'tve", "wouldn't've"}, {"wouldnt", "wouldn't"}, {"wouldnt've", "wouldn't've"}, {"wouldve", "would've"},
    {"y'all'dve", "y'all'd've"}, {"y'alld've", "y'all'd've"}, {"y'allll", "y'all'll"}, {"yall", "y'all"},
    {"yall'd've", "y'all'd've"}, {"yall'll", "y'all'll"}, {"you'dve", "you'd've"}, {"youd", "you'd"},
    {"youd've", "you'd've"}, {"youll", "you'll"}, {"youre", "you're"}, {"youve", "you've"},
};
// The VizWiz API vqaEval.py copy (others_spec.md section 1): mostly U+2019 apostrophes, a few ASCII ones; kept as is.
constexpr Contraction kVizWizContractions[] = {
    {"Id’ve", "I’d’ve"}, {"Im", "I’m"}, {"Ive", "I’ve"}, {"I’dve", "I’d’ve"}, {"aint", "ain't"}, {"arent", "aren't"},
    {"cant", "can't"}, {"couldn'tve", "couldn’t’ve"}, {"couldnt", "couldn't"}, {"couldnt’ve", "couldn’t’ve"},
    {"couldve", "could've"}, {"didnt", "didn’t"}, {"doesnt", "doesn’t"}, {"dont", "don’t"}, {"hadn'tve", "hadn’t’ve"},
    {"hadnt", "hadn’t"}, {"hadnt’ve", "hadn’t’ve"}, {"hasnt", "hasn’t"}, {"havent", "haven’t"}, {"hed", "he’d"},
    {"hed’ve", "he’d’ve"}, {"hes", "he’s"}, {"he’dve", "he’d’ve"}, {"howd", "how’d"}, {"howll", "how’ll"},
    {"hows", "how’s"}, {"isnt", "isn’t"}, {"itd", "it’d"}, {"itd’ve", "it’d’ve"}, {"itll", "it’ll"},
    {"it’dve", "it’d’ve"}, {"let’s", "let’s"}, {"maam", "ma’am"}, {"mightnt", "mightn’t"},
    {"mightnt’ve", "mightn’t’ve"}, {"mightn’tve", "mightn’t’ve"}, {"mightve", "might’ve"}, {"mustnt", "mustn’t"},
    {"mustve", "must’ve"}, {"neednt", "needn’t"}, {"notve", "not’ve"}, {"oclock", "o’clock"}, {"oughtnt", "oughtn’t"},
    {"ow’s’at", "’ow’s’at"}, {"shant", "shan’t"}, {"shed’ve", "she’d’ve"}, {"she’dve", "she’d’ve"},
    {"she’s", "she’s"}, {"shouldnt", "shouldn’t"}, {"shouldnt’ve", "shouldn’t’ve"}, {"shouldn’tve", "shouldn’t’ve"},
    {"shouldve", "should’ve"}, {"somebodyd’ve", "somebody’d’ve"}, {"somebodyll", "somebody’ll"},
    {"somebodys", "somebody’s"}, {"somebody’d", "somebodyd"}, {"somebody’dve", "somebody’d’ve"},
    {"someoned", "someone’d"}, {"someoned’ve", "someone’d’ve"}, {"someonell", "someone’ll"},
    {"someones", "someone’s"}, {"someone’dve", "someone’d’ve"}, {"somethingd", "something’d"},
    {"somethingd’ve", "something’d’ve"}, {"somethingll", "something’ll"}, {"something’dve", "something’d’ve"},
    {"thats", "that’s"}, {"thered", "there’d"}, {"thered’ve", "there’d’ve"}, {"therere", "there’re"},
    {"theres", "there’s"}, {"there’dve", "there’d’ve"}, {"theyd", "they’d"}, {"theyd’ve", "they’d’ve"},
    {"theyll", "they’ll"}, {"theyre", "they’re"}, {"theyve", "they’ve"}, {"they’dve", "they’d’ve"}, {"twas", "’twas"},
    {"wasnt", "wasn’t"}, {"wed’ve", "we’d’ve"}, {"werent", "weren’t"}, {"weve", "we've"}, {"we’dve", "we’d’ve"},
    {"whatll", "what’ll"}, {"whatre", "what’re"}, {"whats", "what’s"}, {"whatve", "what’ve"}, {"whens", "when’s"},
    {"whered", "where’d"}, {"wheres", "where's"}, {"whereve", "where’ve"}, {"whod", "who’d"}, {"whod’ve", "who’d’ve"},
    {"wholl", "who’ll"}, {"whos", "who’s"}, {"whove", "who've"}, {"who’dve", "who’d’ve"}, {"whyll", "why’ll"},
    {"whyre", "why’re"}, {"whys", "why’s"}, {"wont", "won’t"}, {"wouldnt", "wouldn’t"}, {"wouldnt’ve", "wouldn’t’ve"},
    {"wouldn’tve", "wouldn’t’ve"}, {"wouldve", "would’ve"}, {"yall", "y’all"}, {"yall’d’ve", "y’all’d’ve"},
    {"yall’ll", "y’all’ll"}, {"youd", "you’d"}, {"youd’ve", "you’d’ve"}, {"youll", "you’ll"}, {"youre", "you’re"},
    {"youve", "you’ve"}, {"you’dve", "you’d’ve"}, {"y’alld’ve", "y’all’d’ve"}, {"y’allll", "y’all’ll"},
    {"y’all’dve", "y’all’d’ve"}, {"’ows’at", "’ow’s’at"}, {"’ow’sat", "’ow’s’at"},
};

constexpr std::string_view kNumberWords[] = {"none", "zero", "one", "two", "three", "four", "five", "six", "seven",
                                             "eight", "nine", "ten"};
constexpr std::string_view kNumberDigits[] = {"0", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"};

// processPunctuation's list: ; / [ ] " { } ( ) = + \ _ - > < @ ` , ? !
constexpr std::string_view kPunctuation = ";/[]\"{}()=+\\_-><@`,?!";
constexpr int kMaxPeriodsStripped = 32;  // periodStrip.sub("", text, re.UNICODE): re.UNICODE == 32 is the count

constexpr std::array<bool, 256> make_byte_set(std::string_view chars) {
  std::array<bool, 256> set{};
  for (char c : chars) set[static_cast<unsigned char>(c)] = true;
  return set;
}
constexpr auto kIsPunctuation = make_byte_set(kPunctuation);
constexpr auto kPunctuationOrPeriod = make_byte_set(";/[]\"{}()=+\\_-><@`,?!.");
constexpr auto kIsAsciiSpace = make_byte_set("\t\n\v\f\r\x1C\x1D\x1E\x1F ");  // str.isspace() below U+0080

constexpr char32_t kInvalid = 0xFFFFFFFF;  // an undecodable byte: copied through, never a letter, digit or space

struct CodePoint {
  char32_t value;
  std::size_t length;  // bytes
};

bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

CodePoint decode_at(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return {b0, 1};
  std::size_t length = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
  if (length == 0 || b0 > 0xF4 || i + length > s.size()) return {kInvalid, 1};
  char32_t cp = b0 & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (!is_continuation(b)) return {kInvalid, 1};
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, length};
}

// The code point that ends just before byte `end` (end > 0); `start` receives its first byte.
CodePoint decode_before(std::string_view s, std::size_t end, std::size_t& start) {
  start = end - 1;
  while (start > 0 && end - start < 4 && is_continuation(static_cast<unsigned char>(s[start]))) --start;
  const auto cp = decode_at(s, start);
  if (start + cp.length == end) return cp;
  start = end - 1;
  return {kInvalid, 1};
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

template <std::size_t N>
bool in_ranges(const CodeRange (&ranges)[N], char32_t cp) {
  const auto it = std::upper_bound(std::begin(ranges), std::end(ranges), cp,
                                   [](char32_t c, const CodeRange& r) { return c < r.first; });
  return it != std::begin(ranges) && cp <= std::prev(it)->last;
}

char32_t simple_lower(char32_t cp) {
  const auto it = std::upper_bound(std::begin(kLowerRuns), std::end(kLowerRuns), cp,
                                   [](char32_t c, const LowerRun& r) { return c < r.first; });
  if (it == std::begin(kLowerRuns)) return cp;
  const auto& run = *std::prev(it);
  if (cp > run.last || (run.stride > 1 && (cp - run.first) % run.stride != 0)) return cp;
  return static_cast<char32_t>(static_cast<int32_t>(cp) + run.delta);
}

bool is_space(char32_t cp, PyDialect dialect) {
  if (cp < 0x80) return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20);
  switch (cp) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    case 0x180E:  // Zs in Unicode 5.2 (Python 2.7), Cf since 6.3
      return dialect == PyDialect::kPython2;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

// Regex \d: Python 2 str patterns without re.UNICODE see ASCII digits only.
bool is_regex_digit(char32_t cp, PyDialect dialect) {
  if (cp < 0x80) return cp >= '0' && cp <= '9';
  return dialect == PyDialect::kPython3 && cp != kInvalid && in_ranges(kDecimalDigits, cp);
}

bool digit_at(std::string_view s, std::size_t i, PyDialect dialect) {
  return i < s.size() && is_regex_digit(decode_at(s, i).value, dialect);
}

bool digit_before(std::string_view s, std::size_t end, PyDialect dialect) {
  std::size_t start = 0;
  return end > 0 && is_regex_digit(decode_before(s, end, start).value, dialect);
}

// CPython's Final_Sigma test: a cased letter before (skipping case-ignorables) and none after.
bool is_final_sigma(std::string_view s, std::size_t at, std::size_t length) {
  auto ignorable = [](char32_t c) { return c != kInvalid && in_ranges(kCaseIgnorable, c); };
  auto cased = [](char32_t c) { return c != kInvalid && in_ranges(kCased, c); };
  std::size_t end = at;
  bool cased_before = false;
  while (end > 0) {
    std::size_t start = 0;
    const auto cp = decode_before(s, end, start);
    end = start;
    if (!ignorable(cp.value)) {
      cased_before = cased(cp.value);
      break;
    }
  }
  if (!cased_before) return false;
  for (std::size_t i = at + length; i < s.size();) {
    const auto cp = decode_at(s, i);
    if (!ignorable(cp.value)) return !cased(cp.value);
    i += cp.length;
  }
  return true;
}

// processDigitArticle's per-word rules in one hash lookup: number word -> digit, article -> dropped, contraction ->
// expansion. Equivalent to applying them in order, since no key of one kind is a key or an output of another.
enum class WordRule : uint8_t { kNumber, kArticle, kContraction };

class WordRules {
 public:
  template <std::size_t N>
  explicit WordRules(const Contraction (&contractions)[N]) {
    for (std::size_t i = 0; i < std::size(kNumberWords); ++i)
      insert(kNumberWords[i], kNumberDigits[i], WordRule::kNumber);
    for (std::string_view article : {"a", "an", "the"}) insert(article, {}, WordRule::kArticle);
    for (const auto& c : contractions) insert(c.from, c.to, WordRule::kContraction);
  }

  // nullptr when no rule applies to `word`.
  const std::pair<std::string_view, WordRule>* find(std::string_view word) const {
    if (word.size() > max_length_) return nullptr;
    const uint32_t h = hash(word);
    for (uint32_t slot = h & kMask;; slot = (slot + 1) & kMask) {
      const auto& e = slots_[slot];
      if (e.key.data() == nullptr) return nullptr;
      if (e.hash == h && e.key == word) return &e.rule;
    }
  }

 private:
  static constexpr uint32_t kSlots = 512, kMask = kSlots - 1;  // 135 words at most: short probe chains
  struct Entry {
    std::string_view key;
    uint32_t hash = 0;
    std::pair<std::string_view, WordRule> rule;
  };

  static uint32_t hash(std::string_view s) {  // FNV-1a
    uint32_t h = 2166136261u;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    return h;
  }

  void insert(std::string_view key, std::string_view value, WordRule rule) {
    const uint32_t h = hash(key);
    uint32_t slot = h & kMask;
    while (slots_[slot].key.data() != nullptr) slot = (slot + 1) & kMask;
    slots_[slot] = Entry{key, h, {value, rule}};
    max_length_ = std::max(max_length_, key.size());
  }

  std::array<Entry, kSlots> slots_{};
  std::size_t max_length_ = 0;
};

const WordRules& word_rules(ContractionTable table) {
  static const WordRules vqa(kVqaContractions);
  static const WordRules vizwiz(kVizWizContractions);
  return table == ContractionTable::kVqa ? vqa : vizwiz;
}

// Does the comma rule's regex match anywhere in `s`?
bool comma_rule_matches(std::string_view s, CommaRule rule, PyDialect dialect) {
  for (std::size_t i = s.find(','); i != std::string_view::npos; i = s.find(',', i)) {
    std::size_t run_end = i;
    while (run_end < s.size() && s[run_end] == ',') ++run_end;
    const bool single = run_end == i + 1;
    if ((rule == CommaRule::kEvalAi || single) && digit_before(s, i, dialect) && digit_at(s, run_end, dialect))
      return true;
    i = run_end;
  }
  return false;
}

void replace_tabs_newlines(std::string_view in, std::string& out) {
  out.assign(in);
  for (char& c : out)
    if (c == '\n' || c == '\t') c = ' ';
}

}  // namespace

void py_lower(std::string_view in, std::string& out, PyDialect dialect) {
  out.resize(in.size());
  std::size_t i = 0;
  for (; i < in.size() && static_cast<unsigned char>(in[i]) < 0x80; ++i) {  // ASCII prefix, the common case
    const char c = in[i];
    out[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
  }
  out.resize(i);
  while (i < in.size()) {
    const auto byte = static_cast<unsigned char>(in[i]);
    if (byte < 0x80) {
      out.push_back(static_cast<char>(byte >= 'A' && byte <= 'Z' ? byte + 32 : byte));
      ++i;
      continue;
    }
    const auto cp = decode_at(in, i);
    if (cp.value == kInvalid) {
      out.push_back(in[i]);
    } else if (cp.value == 0x130) {  // full mapping "i\u0307" in Python 3, simple mapping "i" in Python 2
      out.append(dialect == PyDialect::kPython3 ? "i\xCC\x87" : "i");
    } else if (cp.value == 0x3A3 && dialect == PyDialect::kPython3) {
      append_utf8(out, is_final_sigma(in, i, cp.length) ? 0x3C2 : 0x3C3);
    } else {
      append_utf8(out, simple_lower(cp.value));
    }
    i += cp.length;
  }
}

std::string_view py_strip(std::string_view in, PyDialect dialect) {
  std::size_t begin = 0;
  while (begin < in.size()) {
    const auto cp = decode_at(in, begin);
    if (!is_space(cp.value, dialect)) break;
    begin += cp.length;
  }
  std::size_t end = in.size();
  while (end > begin) {
    std::size_t start = 0;
    const auto cp = decode_before(in, end, start);
    if (!is_space(cp.value, dialect)) break;
    end = start;
  }
  return in.substr(begin, end - begin);
}

void clean_answer(std::string_view in, std::string& out, PyDialect dialect) {
  const auto stripped = py_strip(in, dialect);
  // Stripping before replacing is equivalent: '\n', '\t' and ' ' are all whitespace to strip().
  replace_tabs_newlines(stripped, out);
}

void process_punctuation(std::string_view in, std::string& out, CommaRule comma_rule, PyDialect dialect) {
  if (std::none_of(in.begin(), in.end(), [](char c) { return kPunctuationOrPeriod[static_cast<unsigned char>(c)]; })) {
    out.assign(in);
    return;
  }
  // The delete-or-space decision is per character and reads only the input, so one pass replaces the 21 sequential
  // str.replace calls (none of them can create another listed character).
  std::array<bool, 256> deleted{};
  if (comma_rule_matches(in, comma_rule, dialect)) {
    deleted = kIsPunctuation;
  } else {
    for (std::size_t i = 0; i < in.size(); ++i) {
      const auto c = static_cast<unsigned char>(in[i]);
      if (kIsPunctuation[c] && ((i + 1 < in.size() && in[i + 1] == ' ') || (i > 0 && in[i - 1] == ' ')))
        deleted[c] = true;
    }
  }
  thread_local std::string spaced;
  spaced.clear();
  for (char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if (!kIsPunctuation[c]) spaced.push_back(ch);
    else if (!deleted[c]) spaced.push_back(' ');
  }
  // periodStrip "(?!<=\d)(\.)(?!\d)": the first group is a look-ahead typo that always holds, so: every '.' not
  // followed by a digit, scanning the un-substituted string left to right, at most 32 of them.
  out.clear();
  int stripped = 0;
  for (std::size_t i = 0; i < spaced.size(); ++i) {
    if (spaced[i] == '.' && stripped < kMaxPeriodsStripped && !digit_at(spaced, i + 1, dialect)) {
      ++stripped;
      continue;
    }
    out.push_back(spaced[i]);
  }
}

void process_digit_article(std::string_view in, std::string& out, ContractionTable table, PyDialect dialect) {
  thread_local std::string lowered;
  py_lower(in, lowered, dialect);
  out.clear();
  const std::string_view text = lowered;
  const auto& rules = word_rules(table);
  auto space_at = [&](std::size_t i, std::size_t& length) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      length = 1;
      return kIsAsciiSpace[b];
    }
    const auto cp = decode_at(text, i);
    length = cp.length;
    return is_space(cp.value, dialect);
  };
  std::size_t i = 0, length = 0;
  while (i < text.size()) {
    if (space_at(i, length)) {
      i += length;
      continue;
    }
    const std::size_t begin = i;
    while (i < text.size() && !space_at(i, length)) i += length;
    std::string_view word = text.substr(begin, i - begin);
    if (const auto* rule = rules.find(word)) {
      if (rule->second == WordRule::kArticle) continue;
      word = rule->first;
    }
    if (!out.empty()) out.push_back(' ');
    out.append(word);
  }
}

void vqa_normalize(std::string_view in, std::string& out) {
  thread_local std::string cleaned, punctuated;
  clean_answer(in, cleaned, PyDialect::kPython2);
  process_punctuation(cleaned, punctuated, CommaRule::kVqa, PyDialect::kPython2);
  process_digit_article(punctuated, out, ContractionTable::kVqa, PyDialect::kPython2);
}

void evalai_normalize(std::string_view in, std::string& out) {
  thread_local std::string lowered, tokenized, cleaned, punctuated;
  // word_tokenize: lower(), replace(",", ""), replace("?", ""), replace("'s", " 's"), strip()
  py_lower(in, lowered, PyDialect::kPython3);
  std::erase_if(lowered, [](char c) { return c == ',' || c == '?'; });
  tokenized.clear();
  for (std::size_t i = 0; i < lowered.size(); ++i) {
    if (lowered[i] == '\'' && i + 1 < lowered.size() && lowered[i + 1] == 's') {
      tokenized.append(" 's");
      ++i;
    } else {
      tokenized.push_back(lowered[i]);
    }
  }
  clean_answer(py_strip(tokenized, PyDialect::kPython3), cleaned, PyDialect::kPython3);
  process_punctuation(cleaned, punctuated, CommaRule::kEvalAi, PyDialect::kPython3);
  process_digit_article(punctuated, out, ContractionTable::kVqa, PyDialect::kPython3);
}

void vizwiz_normalize_prediction(std::string_view in, std::string& out) {
  thread_local std::string cleaned, punctuated;
  clean_answer(in, cleaned, PyDialect::kPython3);
  process_punctuation(cleaned, punctuated, CommaRule::kVqa, PyDialect::kPython3);
  process_digit_article(punctuated, out, ContractionTable::kVizWiz, PyDialect::kPython3);
}

std::string vqa_normalize(std::string_view in) {
  std::string out;
  vqa_normalize(in, out);
  return out;
}

std::string evalai_normalize(std::string_view in) {
  std::string out;
  evalai_normalize(in, out);
  return out;
}

std::string vizwiz_normalize_prediction(std::string_view in) {
  std::string out;
  vizwiz_normalize_prediction(in, out);
  return out;
}

}  // namespace mmh::metrics
